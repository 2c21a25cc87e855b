import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLive } from '../api/lives';
import { displayName } from '../chat/initials';
import { ReactionCounts } from '../components/ReactionCounts';
import { ReplyQuote } from '../components/ReplyQuote';
import { useFeatureText } from '../moderation/strings';
import { useModeration } from '../moderation/use-moderation';
import { ExportMenu } from '../replay/ExportMenu';
import { ReplayTimeline } from '../replay/ReplayTimeline';
import '../replay/replay.css';
import { useReplaySelection } from '../replay/replay-store';
import { useReplayChat } from '../replay/use-replay-chat';
import { formatClock, recordingUrl } from '../replay/video-url';
import { useTRPC } from '../trpc';

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
const finished = (status: string) => status === 'ready' || status === 'recovered';

/** Rediffusion: a saved live's recording with its chat in sync (issue 7). Reads only this computer. */
export function ReplayScreen() {
  const { text } = useFeatureText();
  const trpc = useTRPC();
  const chosen = useReplaySelection((state) => state.recordingId);
  const list = useQuery(trpc.recording.list.queryOptions());
  // Opened from the navigation: the newest finished recording.
  const recordingId = chosen ?? list.data?.find((r) => finished(r.status))?.id ?? null;
  if (!recordingId) {
    return (
      <div className="screen">
        <header className="screen-header">
          <h1>{text('replayTitle')}</h1>
        </header>
        <p className="empty-state">{list.isLoading ? '…' : text('noRecording')}</p>
      </div>
    );
  }
  return <Replay key={recordingId} recordingId={recordingId} />;
}

function Replay({ recordingId }: { recordingId: string }) {
  const { text } = useFeatureText();
  const trpc = useTRPC();
  const opened = useQuery(trpc.replay.open.queryOptions({ recordingId }));
  const recording = opened.data?.recording;
  const liveId = recording?.live_id ?? null;
  const live = useLive(liveId);
  const video = useRef<HTMLVideoElement>(null);
  const chatList = useRef<HTMLOListElement>(null);
  const [currentMs, setCurrentMs] = useState(0);
  const [videoDurationMs, setVideoDurationMs] = useState(0);
  const [speed, setSpeed] = useState(1);
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const chat = useReplayChat(recordingId, currentMs);

  useEffect(() => {
    const timer = setTimeout(() => setSearched(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const search = useQuery({
    ...trpc.replay.search.queryOptions({ recordingId, query: searched, limit: 500 }),
    enabled: searched.length > 0,
  });

  useEffect(() => {
    if (video.current) video.current.playbackRate = speed;
  }, [speed]);

  // Newest visible message at the bottom, in view.
  const lastVisible = chat.visible.at(-1)?.client_id;
  useEffect(() => {
    if (lastVisible) chatList.current?.scrollTo({ top: chatList.current.scrollHeight });
  }, [lastVisible]);

  const durationMs = recording?.duration_ms ?? videoDurationMs;
  const seek = (ms: number) => {
    const element = video.current;
    const target = Math.max(0, durationMs ? Math.min(ms, durationMs) : ms);
    if (element) element.currentTime = target / 1000;
    setCurrentMs(target);
  };

  const hits = useMemo(
    () =>
      (search.data?.hits ?? []).map((hit) => ({
        key: hit.client_id,
        atMs: hit.video_ms,
        label: text('said', { name: displayName(hit.author), text: hit.content }),
      })),
    [search.data, text],
  );
  const markers = useMemo(
    () => (recording?.markers ?? []).map((m) => ({ key: m.id, atMs: m.videoMs, label: m.label ?? '' })),
    [recording],
  );
  const hitIds = useMemo(() => new Set(hits.map((h) => h.key)), [hits]);
  // A reply's quote names its parent when the loaded window holds it (a click seeks the video there).
  const parents = useMemo(
    () => new Map(chat.visible.flatMap((m) => (m.server_id === null ? [] : [[m.server_id, m] as const]))),
    [chat.visible],
  );
  const staff = live.data?.role === 'host' || live.data?.role === 'moderator';

  if (opened.error) return <p role="alert">{opened.error.message}</p>;
  if (!opened.data || !recording) return <p className="empty-state">…</p>;

  return (
    <div className="screen replay-screen">
      <header className="screen-header replay-header">
        <h1>
          {text('replayTitle')}
          <span className="replay-live-title"> · {recording.live_title ?? text('unknownLive')}</span>
        </h1>
        <ExportMenu recordingId={recordingId} liveId={liveId} />
      </header>
      <div className="replay-layout">
        <section className="replay-stage">
          {/* biome-ignore lint/a11y/useMediaCaption: a recording of a live has no captions; its chat is exportable as WebVTT. */}
          <video
            ref={video}
            className="replay-video"
            src={recordingUrl(opened.data.video_path)}
            controls
            preload="metadata"
            data-testid="replay-video"
            onTimeUpdate={(event) => setCurrentMs(event.currentTarget.currentTime * 1000)}
            onSeeked={(event) => setCurrentMs(event.currentTarget.currentTime * 1000)}
            onLoadedMetadata={(event) => {
              const seconds = event.currentTarget.duration;
              if (Number.isFinite(seconds)) setVideoDurationMs(seconds * 1000);
              event.currentTarget.playbackRate = speed;
            }}
          />
          <ReplayTimeline
            durationMs={durationMs}
            currentMs={currentMs}
            hits={hits}
            markers={markers}
            onSeek={seek}
          />
          <div className="replay-controls">
            <span className="replay-clock" data-testid="replay-clock">
              {formatClock(currentMs)} / {formatClock(durationMs)}
            </span>
            <label className="replay-field">
              <span>{text('speed')}</span>
              <select value={speed} onChange={(event) => setSpeed(Number(event.target.value))}>
                {SPEEDS.map((value) => (
                  <option key={value} value={value}>
                    {value}×
                  </option>
                ))}
              </select>
            </label>
            <label className="replay-field replay-search">
              <span>{text('search')}</span>
              <input
                type="search"
                value={query}
                placeholder={text('searchPlaceholder')}
                onChange={(event) => setQuery(event.target.value)}
              />
            </label>
            {searched && search.data && (
              <span className="replay-results" role="status">
                {text('results', { count: search.data.total })}
              </span>
            )}
          </div>
        </section>
        <section className="replay-chat" aria-labelledby="replay-chat-title">
          <h2 id="replay-chat-title">
            {text('replayChat')}{' '}
            <span className="replay-count">{text('chatMessages', { count: opened.data.total })}</span>
          </h2>
          {chat.visible.length === 0 && <p className="replay-empty">{text('replayEmptyAt')}</p>}
          <ol ref={chatList} className="replay-messages" data-testid="replay-messages">
            {chat.visible.map((m) => (
              <ReplayRow
                key={m.client_id}
                message={m}
                parent={m.reply_to === null ? undefined : parents.get(m.reply_to)}
                highlighted={hitIds.has(m.client_id)}
                staff={staff}
                liveId={liveId}
                onSeek={seek}
              />
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}

type RowMessage = ReturnType<typeof useReplayChat>['visible'][number];

function ReplayRow({
  message,
  parent,
  highlighted,
  staff,
  liveId,
  onSeek,
}: {
  message: RowMessage;
  /** The message this one answers, when the loaded window holds it. */
  parent: RowMessage | undefined;
  highlighted: boolean;
  staff: boolean;
  liveId: number | null;
  onSeek(ms: number): void;
}) {
  const { text } = useFeatureText();
  const { t } = useTranslation();
  return (
    <li
      className={`replay-message${highlighted ? ' replay-message-hit' : ''}${message.hidden ? ' replay-message-hidden' : ''}`}
      data-client-id={message.client_id}
      data-video-ms={Math.round(message.video_ms)}
    >
      <button
        type="button"
        className="replay-message-seek"
        onClick={() => onSeek(message.video_ms)}
        aria-label={text('seekTo', {
          time: formatClock(message.video_ms),
          what: displayName(message.author),
        })}
      >
        {formatClock(message.video_ms)}
      </button>
      <div className="replay-message-body">
        {message.reply_to !== null && (
          <ReplyQuote parent={parent} t={t} onOpen={() => parent && onSeek(parent.video_ms)} />
        )}
        <strong>{displayName(message.author)}</strong>{' '}
        {message.deleted ? (
          <em className="replay-removed">{text('deleted')}</em>
        ) : (
          <span className={`replay-text${message.type === 'emoji' ? ' replay-text-emoji' : ''}`}>
            {message.content}
          </span>
        )}
        {message.hidden && <span className="mod-badge mod-badge-hidden">{text('hidden')}</span>}
        {!message.deleted && (
          <ReactionCounts reactions={message.reactions} t={t} serverId={message.server_id} />
        )}
      </div>
      {staff && liveId !== null && !message.deleted && <ReplayActions liveId={liveId} message={message} />}
    </li>
  );
}

/** Moderators act from the replay too: the same outbox as the moderation screen (queued when offline). */
function ReplayActions({ liveId, message }: { liveId: number; message: RowMessage }) {
  const { text } = useFeatureText();
  const { act } = useModeration(liveId);
  return (
    <span className="replay-actions">
      <button
        type="button"
        className="button button-small"
        onClick={() =>
          act.mutate({ action: message.hidden ? 'unhide' : 'hide', liveId, clientId: message.client_id })
        }
      >
        {message.hidden ? text('unhide') : text('hide')}
      </button>
      <button
        type="button"
        className="button button-small"
        onClick={() => act.mutate({ action: 'delete', liveId, clientId: message.client_id })}
      >
        {text('delete')}
      </button>
    </span>
  );
}
