import { formatClock } from './video-url';
import { useFeatureText } from '../moderation/strings';

type Mark = { key: string; atMs: number; label: string };

/**
 * The video's timeline with search hits and the host's markers on it. Clicking (or ←/→ on the focused bar)
 * seeks; each mark is a button that seeks to its moment.
 */
export function ReplayTimeline({
  durationMs,
  currentMs,
  hits,
  markers,
  onSeek,
}: {
  durationMs: number;
  currentMs: number;
  hits: Mark[];
  markers: Mark[];
  onSeek(ms: number): void;
}) {
  const { text } = useFeatureText();
  const place = (ms: number) => `${durationMs > 0 ? Math.min(100, (ms / durationMs) * 100) : 0}%`;
  return (
    <div className="replay-timeline-wrap">
      <div
        className="replay-timeline"
        role="slider"
        tabIndex={0}
        aria-label={text('timeline')}
        aria-valuemin={0}
        aria-valuemax={Math.round(durationMs / 1000)}
        aria-valuenow={Math.round(currentMs / 1000)}
        aria-valuetext={formatClock(currentMs)}
        onClick={(event) => {
          const box = event.currentTarget.getBoundingClientRect();
          onSeek(((event.clientX - box.left) / box.width) * durationMs);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowRight') onSeek(Math.min(durationMs, currentMs + 5_000));
          if (event.key === 'ArrowLeft') onSeek(Math.max(0, currentMs - 5_000));
        }}
      >
        <div className="replay-timeline-progress" style={{ width: place(currentMs) }} />
      </div>
      <div className="replay-marks">
        {hits.map((hit) => {
          // One sentence for the tooltip and the accessible name, in the app's language.
          const label = text('seekTo', { time: formatClock(hit.atMs), what: hit.label });
          return (
            <button
              key={hit.key}
              type="button"
              className="replay-mark replay-mark-hit"
              style={{ left: place(hit.atMs) }}
              title={label}
              aria-label={label}
              onClick={() => onSeek(hit.atMs)}
            />
          );
        })}
        {markers.map((marker) => {
          const time = formatClock(marker.atMs);
          const label = marker.label
            ? text('markerAtNamed', { time, label: marker.label })
            : text('markerAt', { time });
          return (
            <button
              key={marker.key}
              type="button"
              className="replay-mark replay-mark-marker"
              style={{ left: place(marker.atMs) }}
              title={label}
              aria-label={label}
              onClick={() => onSeek(marker.atMs)}
            />
          );
        })}
      </div>
    </div>
  );
}
