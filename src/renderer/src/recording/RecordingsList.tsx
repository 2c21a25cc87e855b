import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../trpc';
import { formatDuration } from './format';
import { UploadStatus } from './UploadStatus';
import { useRecordings } from './use-recordings';
import { useFormatBytes } from './use-format-bytes';

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
  const { t, i18n } = useTranslation();
  const formatBytes = useFormatBytes();
  const dateFormat = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }),
    [i18n.language],
  );
  // "42 %" in French, "42%" in English: the language's own percent format.
  const percentFormat = useMemo(
    () => new Intl.NumberFormat(i18n.language, { style: 'percent' }),
    [i18n.language],
  );
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useRecordings();
  const [confirming, setConfirming] = useState<string | null>(null);
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
      <h2 id="recordings-title">{t('recordings.title')}</h2>
      {list.error && <p role="alert">{t('recordings.readFailed', { reason: list.error.message })}</p>}
      {recordings.length === 0 && !list.isLoading && (
        <p className="recordings-empty">{t('recordings.empty')}</p>
      )}
      <ul className="recordings-list">
        {recordings.map((recording) => {
          const url = downloadUrl(recording.id);
          const finished = recording.status === 'ready' || recording.status === 'recovered';
          const progress =
            recording.finalize_progress !== null
              ? ` ${percentFormat.format(recording.finalize_progress)}`
              : '';
          return (
            <li key={recording.id} className="recording-row" data-recording-id={recording.id}>
              <div className="recording-main">
                <span className="recording-title">{recording.live_title ?? t('recordings.outsideLive')}</span>
                <span className="recording-meta">
                  {dateFormat.format(new Date(recording.started_at))}
                  {recording.duration_ms !== null && ` · ${formatDuration(recording.duration_ms)}`}
                  {` · ${formatBytes(recording.bytes)}`}
                  {recording.markers.length > 0 &&
                    ` · ${t('recordings.markers', { count: recording.markers.length })}`}
                </span>
                <UploadStatus recording={recording} />
              </div>
              <span
                className={`recording-status recording-status-${recording.status}`}
                data-testid="recording-status"
                title={recording.error ?? undefined}
              >
                {t(`recordings.status.${recording.status}`)}
                {progress}
              </span>
              <div className="recording-actions">
                {finished && url && (
                  <a className="button button-small" href={url} download>
                    {t('recordings.download')}
                  </a>
                )}
                {confirming === recording.id ? (
                  <>
                    <button
                      type="button"
                      className="button button-small button-danger"
                      disabled={remove.isPending}
                      onClick={() => remove.mutate({ id: recording.id })}
                    >
                      {t('recordings.confirmDelete')}
                    </button>
                    <button type="button" className="button button-small" onClick={() => setConfirming(null)}>
                      {t('recordings.cancel')}
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={recording.status === 'recording' || recording.status === 'finalizing'}
                    onClick={() => setConfirming(recording.id)}
                  >
                    {t('recordings.delete')}
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
