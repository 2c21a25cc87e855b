import { useTranslation } from 'react-i18next';
import { useStudioStore } from '../stores';
import { formatElapsed } from './format';
import { useRecorderStore } from './recorder-store';

/**
 * The top bar's sign that a recording runs, on every screen, until the host stops it (or ends its live): a
 * recording belongs to the app, not to the screen in view. A click opens the studio of the live being recorded.
 * The timer is left out of the accessible name (it changes four times a second).
 */
export function RecordingIndicator() {
  const { t } = useTranslation();
  const phase = useRecorderStore((state) => state.phase);
  const liveId = useRecorderStore((state) => state.recordingLiveId);
  const title = useRecorderStore((state) => state.recordingTitle);
  const elapsedMs = useRecorderStore((state) => state.elapsedMs);
  const openLive = useStudioStore((state) => state.openLive);
  if (liveId === null || (phase !== 'recording' && phase !== 'paused')) return null;
  const name = t('recorder.indicator', { title: title ?? '' });
  return (
    <button
      type="button"
      className={`recording-indicator ${phase === 'paused' ? 'is-paused' : ''}`}
      aria-label={name}
      title={name}
      data-testid="recording-indicator"
      data-live-recording={liveId}
      onClick={() => openLive(liveId)}
    >
      <span className="pill-dot" aria-hidden="true" />
      <span aria-hidden="true">
        {phase === 'paused' ? t('recorder.badgePaused') : t('recorder.badgeRecording')}{' '}
        {formatElapsed(elapsedMs)}
      </span>
    </button>
  );
}
