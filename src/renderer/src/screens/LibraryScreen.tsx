import { useFeatureText } from '../moderation/strings';
import { ServerRecordings } from '../recording/ServerRecordings';
import { UploadStatus } from '../recording/UploadStatus';
import { useRecordings } from '../recording/use-recordings';
import { ExportMenu } from '../replay/ExportMenu';
import '../replay/replay.css';
import { useReplaySelection } from '../replay/replay-store';
import { formatClock } from '../replay/video-url';
import { useStudioStore } from '../stores';

/**
 * Bibliothèque: the finished recordings, each with Rediffusion, Exporter and where its server copy stands, and
 * below them the recordings on the server that this computer does not have.
 */
export function LibraryScreen() {
  const { text, language } = useFeatureText();
  const list = useRecordings();
  const choose = useReplaySelection((state) => state.choose);
  const go = useStudioStore((state) => state.go);
  const recordings = (list.data ?? []).filter((r) => r.status === 'ready' || r.status === 'recovered');
  const format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="screen">
      <header className="screen-header">
        <h1>{text('libraryTitle')}</h1>
      </header>
      {recordings.length === 0 && !list.isLoading && <p className="empty-state">{text('libraryEmpty')}</p>}
      <ul className="library-list">
        {recordings.map((recording) => (
          <li key={recording.id} className="library-item" data-recording-id={recording.id}>
            <div className="library-main">
              <strong>{recording.live_title ?? text('unknownLive')}</strong>
              <span className="library-meta">
                {format.format(new Date(recording.started_at))}
                {recording.duration_ms !== null && ` · ${formatClock(recording.duration_ms)}`}
              </span>
              <UploadStatus recording={recording} />
            </div>
            <div className="library-actions">
              <button
                type="button"
                className="button button-small button-primary"
                onClick={() => {
                  choose(recording.id);
                  go('replay');
                }}
              >
                {text('replay')}
              </button>
              <ExportMenu recordingId={recording.id} liveId={recording.live_id} />
            </div>
          </li>
        ))}
      </ul>
      <ServerRecordings />
    </div>
  );
}
