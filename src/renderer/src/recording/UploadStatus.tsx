import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { inferRouterOutputs } from '@trpc/server';
import type { HostRouter } from '../../../host/routers/types';
import { useTRPC } from '../trpc';
import { formatElapsed } from './format';
import { useFormatBytes } from './use-format-bytes';

/**
 * Where a recording's server copy stands (src/host/server-copy): on this computer only (with "Upload to the
 * server"), uploading (a progress bar, its speed and the time left once the size is final), on the server ✓,
 * or failed with the server's reason and "Retry". A recording outside a live has no server to go to.
 */
type RecordingView = inferRouterOutputs<HostRouter>['recording']['list'][number];

export function UploadStatus({ recording }: { recording: RecordingView }) {
  const { t } = useTranslation();
  const formatBytes = useFormatBytes();
  const trpc = useTRPC();
  const send = useMutation(trpc.recording.upload.mutationOptions());
  if (recording.live_id === null) return null;
  const finished = recording.status === 'ready' || recording.status === 'recovered';
  const total = recording.bytes;
  const sent = Math.min(recording.uploaded_bytes, total);
  const speed = recording.upload_bytes_per_second;
  const secondsLeft = finished && speed && speed > 0 ? (total - sent) / speed : null;

  return (
    <div
      className={`upload-status upload-status-${recording.upload_state}`}
      data-testid="upload-status"
      data-upload-state={recording.upload_state}
    >
      {recording.upload_state === 'uploaded' && <span>{t('recordings.upload.uploaded')}</span>}
      {recording.upload_state === 'local' && <span>{t('recordings.upload.local')}</span>}
      {recording.upload_state === 'uploading' && (
        <>
          <span>
            {recording.upload_error
              ? t('recordings.upload.waiting', { reason: recording.upload_error })
              : t('recordings.upload.uploading')}
          </span>
          <progress aria-label={t('recordings.upload.progressLabel')} max={Math.max(total, 1)} value={sent} />
          <span className="upload-figures">
            {t('recordings.upload.progress', { sent: formatBytes(sent), total: formatBytes(total) })}
            {speed !== null &&
              ` · ${t('recordings.upload.speed', { speed: formatBytes(Math.round(speed)) })}`}
            {secondsLeft !== null &&
              ` · ${t('recordings.upload.timeLeft', { time: formatElapsed(secondsLeft * 1000) })}`}
          </span>
        </>
      )}
      {recording.upload_state === 'failed' && (
        <span role="status">{t('recordings.upload.failed', { reason: recording.upload_error ?? '' })}</span>
      )}
      {(recording.upload_state === 'failed' || (recording.upload_state === 'local' && finished)) && (
        <button
          type="button"
          className="button button-small"
          disabled={send.isPending}
          onClick={() => send.mutate({ id: recording.id })}
        >
          {recording.upload_state === 'failed' ? t('recordings.upload.retry') : t('recordings.upload.send')}
        </button>
      )}
    </div>
  );
}
