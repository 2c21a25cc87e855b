import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatClock } from '../replay/video-url';
import { useTRPC } from '../trpc';
import { useFormatBytes } from './use-format-bytes';
import './server-recordings.css';

/**
 * Bibliothèque › Sur le serveur: the recordings other desktops uploaded for the lives this account hosts or
 * moderates. "Télécharger pour hors-ligne" makes one a local recording (same id), which Rediffusion then plays
 * with its chat, network or not.
 */
export function ServerRecordings() {
  const { t, i18n } = useTranslation();
  const formatBytes = useFormatBytes();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listed = useQuery({
    ...trpc.recording.onServer.queryOptions(),
    refetchInterval: 10_000,
    retry: false,
  });
  const download = useMutation(
    trpc.recording.download.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.recording.onServer.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.recording.list.queryKey() }),
        ]),
    }),
  );
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const others = (listed.data ?? []).filter((recording) => !recording.on_this_computer);

  return (
    <section className="card server-recordings" aria-labelledby="server-recordings-title">
      <h2 id="server-recordings-title">{t('serverRecordings.title')}</h2>
      <p className="muted">{t('serverRecordings.hint')}</p>
      {listed.error && (
        <p role="alert">{t('serverRecordings.unavailable', { reason: listed.error.message })}</p>
      )}
      {listed.data && others.length === 0 && <p className="empty-state">{t('serverRecordings.empty')}</p>}
      <ul className="library-list">
        {others.map((recording) => (
          <li key={recording.id} className="library-item" data-server-recording-id={recording.id}>
            <div className="library-main">
              <strong>{recording.live_title}</strong>
              <span className="library-meta">
                {format.format(new Date(recording.recorded_at ?? recording.created_at))}
                {recording.duration_ms !== null && ` · ${formatClock(recording.duration_ms)}`}
                {` · ${formatBytes(recording.state === 'complete' ? recording.size : recording.uploaded_bytes)}`}
              </span>
            </div>
            <div className="library-actions">
              {recording.state === 'complete' ? (
                <button
                  type="button"
                  className="button button-small button-primary"
                  disabled={download.isPending}
                  onClick={() => download.mutate({ id: recording.id })}
                >
                  {download.isPending && download.variables?.id === recording.id
                    ? t('serverRecordings.downloading')
                    : t('serverRecordings.download')}
                </button>
              ) : (
                <span className="muted">
                  {t('serverRecordings.uploading', { sent: formatBytes(recording.uploaded_bytes) })}
                </span>
              )}
            </div>
          </li>
        ))}
      </ul>
      {download.error && <p role="alert">{download.error.message}</p>}
    </section>
  );
}
