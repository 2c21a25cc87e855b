import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { CachedMessage } from '../../../shared/wire';
import { useChat } from '../api/chat';
import { useLive, useLives } from '../api/lives';
import { ModerationPane } from '../moderation/ModerationPane';
import { HeldQueue, ModerationLogPanel, UserCard } from '../moderation/ModerationSide';
import { ModerationVideo, type ModerationVideoHandle } from '../moderation/ModerationVideo';
import { useFeatureText } from '../moderation/strings';
import { useModeration } from '../moderation/use-moderation';
import '../moderation/moderation.css';
import { useStudioStore } from '../stores';
import { useTRPC } from '../trpc';

const SLOW_MODES = [0, 5, 10, 30, 60, 120, 300];

/**
 * Moderation (issue 7): the live's video and chat with actions, a user card, the held-for-review queue and the
 * log. Choosing a message seeks the video to it (issue 15).
 */
export function ModerationScreen() {
  const liveId = useStudioStore((state) => state.liveId);
  return liveId === null ? <ChooseLive /> : <Moderation key={liveId} liveId={liveId} />;
}

function ChooseLive() {
  const { text } = useFeatureText();
  const lives = useLives();
  const openLive = useStudioStore((state) => state.openLive);
  const go = useStudioStore((state) => state.go);
  return (
    <div className="screen">
      <header className="screen-header">
        <h1>{text('moderationTitle')}</h1>
      </header>
      <h2 className="mod-choose-title">{text('chooseLive')}</h2>
      {(lives.data ?? []).length === 0 && <p className="empty-state">{text('noLives')}</p>}
      <ul className="mod-choose">
        {(lives.data ?? []).map((live) => (
          <li key={live.id}>
            <button
              type="button"
              className="button"
              onClick={() => {
                openLive(live.id);
                go('moderation');
              }}
            >
              {live.title}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Moderation({ liveId }: { liveId: number }) {
  const { text } = useFeatureText();
  const trpc = useTRPC();
  const live = useLive(liveId);
  const chat = useChat(liveId);
  const { act, pendingByMessage } = useModeration(liveId);
  const [reason, setReason] = useState('');
  const videoBeside = useRef<ModerationVideoHandle>(null);
  const [userId, setUserId] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const setModerator = useMutation(trpc.moderation.setModerator.mutationOptions());

  const run = (input: Parameters<typeof act.mutate>[0]) =>
    act.mutate(input, {
      onSuccess: (entry) =>
        setNotice(entry.status === 'rejected' ? text('refused', { reason: entry.error ?? '' }) : null),
      onError: (error) => setNotice(error.message),
    });
  const why = reason.trim() ? { reason: reason.trim() } : {};
  const onAct = (message: CachedMessage, action: 'hide' | 'unhide' | 'delete' | 'ban') => {
    if (action === 'ban') run({ action, liveId, userId: message.author.id, ...why });
    else run({ action, liveId, clientId: message.client_id, ...why });
  };
  const onTimeout = (message: CachedMessage, seconds: number) =>
    run({ action: 'timeout', liveId, userId: message.author.id, seconds, ...why });

  const messages = chat.query.data?.messages ?? [];
  const isHost = live.data?.role === 'host';
  return (
    <div className="screen mod-screen">
      <header className="screen-header mod-header">
        <h1>
          {text('moderationTitle')}
          {live.data && <span className="mod-live-title"> · {live.data.title}</span>}
        </h1>
        <div className="mod-tools">
          <label className="mod-field">
            <span>{text('reason')}</span>
            <input
              value={reason}
              maxLength={500}
              placeholder={text('reasonPlaceholder')}
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
          <label className="mod-field">
            <span>{text('slowMode')}</span>
            <select
              value={live.data?.slow_mode_seconds ?? 0}
              onChange={(event) => run({ action: 'slow_mode', liveId, seconds: Number(event.target.value) })}
            >
              {SLOW_MODES.map((seconds) => (
                <option key={seconds} value={seconds}>
                  {seconds === 0 ? text('slowModeOff') : `${seconds} s`}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      {notice && (
        <p className="mod-notice" role="alert">
          {notice}
        </p>
      )}
      <div className="mod-layout">
        <ModerationVideo ref={videoBeside} liveId={liveId}>
          <ModerationPane
            messages={messages}
            pendingByMessage={pendingByMessage}
            onAct={onAct}
            onTimeout={onTimeout}
            onAuthor={setUserId}
            onChoose={(message) => videoBeside.current?.seekTo(message)}
          />
        </ModerationVideo>
        <aside className="mod-side">
          <UserCard
            liveId={liveId}
            userId={userId}
            onUnban={(id) => run({ action: 'unban', liveId, userId: id, ...why })}
          />
          <HeldQueue liveId={liveId} onAct={onAct} />
          <ModerationLogPanel liveId={liveId} />
          {isHost && (
            <section className="mod-panel" aria-labelledby="mod-moderators">
              <h2 id="mod-moderators">{text('moderators')}</h2>
              <form
                className="mod-moderator-form"
                onSubmit={(event) => {
                  event.preventDefault();
                  setModerator.mutate(
                    { liveId, email, role: 'moderator' },
                    { onSuccess: () => setEmail(''), onError: (error) => setNotice(error.message) },
                  );
                }}
              >
                <input
                  type="email"
                  aria-label={text('moderatorEmail')}
                  placeholder={text('emailPlaceholder')}
                  value={email}
                  onChange={(event) => setEmail(event.target.value)}
                  required
                />
                <button type="submit" className="button button-small">
                  {text('addModerator')}
                </button>
                <button
                  type="button"
                  className="button button-small button-ghost"
                  disabled={!email}
                  onClick={() =>
                    setModerator.mutate(
                      { liveId, email, role: 'viewer' },
                      { onSuccess: () => setEmail(''), onError: (error) => setNotice(error.message) },
                    )
                  }
                >
                  {text('removeModerator')}
                </button>
              </form>
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}
