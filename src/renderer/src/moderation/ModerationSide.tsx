import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CachedMessage } from '../../../shared/wire';
import { displayName } from '../chat/initials';
import { useTRPC } from '../trpc';
import { downloadFile } from './download';
import { useFeatureText } from './strings';

const when = (iso: string, language: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleString(language, { dateStyle: 'short', timeStyle: 'medium' });
};

/** The chosen user's messages in this live and what was done to them (server log + actions taken here). */
export function UserCard({
  liveId,
  userId,
  onUnban,
}: {
  liveId: number;
  userId: number | null;
  onUnban(userId: number): void;
}) {
  const trpc = useTRPC();
  const { text, actionName, language } = useFeatureText();
  const card = useQuery({
    ...trpc.moderation.userCard.queryOptions({ liveId, userId: userId ?? 1 }),
    enabled: userId !== null,
  });
  return (
    <section className="mod-panel" aria-labelledby="mod-user-card">
      <h2 id="mod-user-card">{text('userCard')}</h2>
      {userId === null || !card.data ? (
        <p className="mod-empty">{text('userCardEmpty')}</p>
      ) : (
        <div className="mod-card" data-testid="user-card">
          <p className="mod-card-name">
            <strong>{card.data.author ? displayName(card.data.author) : `#${userId}`}</strong>
            <button
              type="button"
              className="button button-small button-ghost"
              onClick={() => onUnban(userId)}
            >
              {text('unban')}
            </button>
          </p>
          <h3>{text('messagesOfUser')}</h3>
          {card.data.messages.length === 0 ? (
            <p className="mod-empty">{text('none')}</p>
          ) : (
            <ul className="mod-card-messages">
              {card.data.messages.slice(0, 20).map((m) => (
                <li key={m.client_id}>
                  <time dateTime={m.created_at}>{when(m.created_at, language)}</time>{' '}
                  {m.deleted ? <em>{text('deleted')}</em> : m.content}
                  {m.hidden && <span className="mod-badge mod-badge-hidden">{text('hidden')}</span>}
                </li>
              ))}
            </ul>
          )}
          <h3>{text('actionsOnUser')}</h3>
          {card.data.log.length + card.data.local.length === 0 ? (
            <p className="mod-empty">{text('none')}</p>
          ) : (
            <ul className="mod-card-actions">
              {card.data.log.map((e) => (
                <li key={`s${e.id}`}>
                  {when(e.created_at, language)} · {actionName(e.action)}
                  {e.reason ? ` · ${e.reason}` : ''}
                </li>
              ))}
              {card.data.local
                .filter((e) => e.status !== 'applied')
                .map((e) => (
                  <li key={`l${e.seq}`}>
                    {when(e.created_at, language)} · {actionName(e.action)} ·{' '}
                    {e.status === 'pending' ? text('queued') : text('rejected')}
                  </li>
                ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/** Messages held for review (blocked terms): visible to the staff only until someone decides. */
export function HeldQueue({
  liveId,
  onAct,
}: {
  liveId: number;
  onAct(message: CachedMessage, action: 'delete' | 'hide'): void;
}) {
  const trpc = useTRPC();
  const { text } = useFeatureText();
  const held = useQuery(trpc.moderation.held.queryOptions({ liveId }));
  const messages = held.data ?? [];
  return (
    <section className="mod-panel" aria-labelledby="mod-held">
      <h2 id="mod-held">
        {text('heldQueue')} {messages.length > 0 && <span className="mod-count">{messages.length}</span>}
      </h2>
      {messages.length === 0 ? (
        <p className="mod-empty">{text('heldEmpty')}</p>
      ) : (
        <ul className="mod-held">
          {messages.map((m) => (
            <li key={m.client_id}>
              <strong>{displayName(m.author)}</strong> {m.content}
              <span className="mod-held-actions">
                <button type="button" className="button button-small" onClick={() => onAct(m, 'hide')}>
                  {text('hide')}
                </button>
                <button type="button" className="button button-small" onClick={() => onAct(m, 'delete')}>
                  {text('delete')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Who did what, when, why: the server's log (cached for offline) plus actions still queued here. */
export function ModerationLogPanel({ liveId }: { liveId: number }) {
  const trpc = useTRPC();
  const { text, actionName, language } = useFeatureText();
  const log = useQuery(trpc.moderation.log.queryOptions({ liveId }));
  const exportLog = useMutation(trpc.exports.moderationLog.mutationOptions({ onSuccess: downloadFile }));
  const [error, setError] = useState<string | null>(null);
  const names = log.data?.names ?? {};
  const name = (id: number | null) => (id === null ? '' : (names[id] ?? `#${id}`));
  const queued = (log.data?.local ?? []).filter((e) => e.status !== 'applied');
  const entries = log.data?.entries ?? [];
  return (
    <section className="mod-panel mod-panel-log" aria-labelledby="mod-log">
      <div className="mod-panel-head">
        <h2 id="mod-log">{text('log')}</h2>
        <button
          type="button"
          className="button button-small"
          disabled={exportLog.isPending}
          onClick={() => exportLog.mutate({ liveId }, { onError: (e) => setError(e.message) })}
        >
          {text('export')}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      {log.data?.offline && log.data.fetched_at && (
        <p className="mod-note">{text('logOffline', { date: when(log.data.fetched_at, language) })}</p>
      )}
      {entries.length + queued.length === 0 ? (
        <p className="mod-empty">{text('logEmpty')}</p>
      ) : (
        <ol className="mod-log" data-testid="moderation-log">
          {queued.map((e) => (
            <li key={`l${e.seq}`} className="mod-log-queued">
              <time dateTime={e.created_at}>{when(e.created_at, language)}</time>{' '}
              <strong>{actionName(e.action)}</strong> {e.user_id !== null && name(e.user_id)} ·{' '}
              {e.status === 'pending' ? text('queued') : text('rejected')}
              {e.error ? ` (${e.error})` : ''}
            </li>
          ))}
          {entries.map((e) => (
            <li key={e.id}>
              <time dateTime={e.created_at}>{when(e.created_at, language)}</time>{' '}
              <strong>{actionName(e.action)}</strong> · {name(e.actor_id)}
              {e.target_user_id !== null && ` → ${name(e.target_user_id)}`}
              {e.reason ? ` · « ${e.reason} »` : ''}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
