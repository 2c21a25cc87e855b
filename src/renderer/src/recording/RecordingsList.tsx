import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import type { RecordingStatus } from '../../../shared/wire';
import { useTRPC } from '../trpc';
import { formatBytes, formatDuration } from './format';

const STATUS_LABELS: Record<RecordingStatus, string> = {
  recording: 'Enregistrement en cours',
  finalizing: 'Finalisation',
  ready: 'Prêt',
  recovered: 'Récupéré',
  failed: 'Échec',
};

const DATE_FORMAT = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short' });

/** In browser mode the host serves the file itself (token-guarded); in Electron, the shell reveals it instead. */
function downloadUrl(id: string): string | null {
  if (!window.location.protocol.startsWith('http')) return null;
  const token = sessionStorage.getItem('studio-token') ?? '';
  return `/recordings/${id}?token=${encodeURIComponent(token)}&download=1`;
}

/**
 * The recordings library: every recording on this computer with its live, date, duration, size and status,
 * kept current by the host's change feed (finalize progress included). Delete asks for a confirmation.
 */
export function RecordingsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.recording.list.queryOptions());
  const [confirming, setConfirming] = useState<string | null>(null);
  useSubscription(
    trpc.recording.onChange.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries({ queryKey: trpc.recording.list.queryKey() }),
    }),
  );
  const remove = useMutation(
    trpc.recording.delete.mutationOptions({
      onSettled: () => {
        setConfirming(null);
        return queryClient.invalidateQueries({ queryKey: trpc.recording.list.queryKey() });
      },
    }),
  );

  const recordings = list.data ?? [];
  return (
    <section className="recordings" aria-labelledby="recordings-title">
      <h2 id="recordings-title">Enregistrements</h2>
      {list.error && <p role="alert">Impossible de lire les enregistrements : {list.error.message}</p>}
      {recordings.length === 0 && !list.isLoading && (
        <p className="recordings-empty">Aucun enregistrement.</p>
      )}
      <ul className="recordings-list">
        {recordings.map((recording) => {
          const url = downloadUrl(recording.id);
          const finished = recording.status === 'ready' || recording.status === 'recovered';
          const progress =
            recording.finalize_progress !== null ? ` ${Math.round(recording.finalize_progress * 100)} %` : '';
          return (
            <li key={recording.id} className="recording-row" data-recording-id={recording.id}>
              <div className="recording-main">
                <span className="recording-title">{recording.live_title ?? 'Enregistrement hors live'}</span>
                <span className="recording-meta">
                  {DATE_FORMAT.format(new Date(recording.started_at))}
                  {recording.duration_ms !== null && ` · ${formatDuration(recording.duration_ms)}`}
                  {` · ${formatBytes(recording.bytes)}`}
                  {recording.markers.length > 0 && ` · ${recording.markers.length} marqueur(s)`}
                </span>
              </div>
              <span
                className={`recording-status recording-status-${recording.status}`}
                data-testid="recording-status"
                title={recording.error ?? undefined}
              >
                {STATUS_LABELS[recording.status]}
                {progress}
              </span>
              <div className="recording-actions">
                {finished && url && (
                  <a className="button button-small" href={url} download aria-description="Download">
                    Télécharger
                  </a>
                )}
                {confirming === recording.id ? (
                  <>
                    <button
                      type="button"
                      className="button button-small button-danger"
                      disabled={remove.isPending}
                      onClick={() => remove.mutate({ id: recording.id })}
                      aria-description="Confirm deletion"
                    >
                      Confirmer la suppression
                    </button>
                    <button type="button" className="button button-small" onClick={() => setConfirming(null)}>
                      Annuler
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={recording.status === 'recording' || recording.status === 'finalizing'}
                    onClick={() => setConfirming(recording.id)}
                    aria-description="Delete"
                  >
                    Supprimer
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {remove.error && <p role="alert">{remove.error.message}</p>}
    </section>
  );
}
