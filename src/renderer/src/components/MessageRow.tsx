import type { TFunction } from 'i18next';
import { memo } from 'react';
import type { CachedMessage } from '../../../shared/wire';
import { displayName } from '../chat/initials';
import { Avatar } from './Avatar';
import { MessageActions } from './MessageActions';
import { ReactionCounts } from './ReactionCounts';
import { ReplyQuote } from './ReplyQuote';
import './conversation.css';

// One formatter per language: building an Intl formatter per row would cost more than rendering the row.
const formats = new Map<string, Intl.DateTimeFormat>();
function timeFormat(language: string): Intl.DateTimeFormat {
  let format = formats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
    formats.set(language, format);
  }
  return format;
}

type Props = {
  message: CachedMessage;
  mine: boolean;
  /** The list's translate function and language: one i18n subscription per list, not one per row mounted. */
  t: TFunction;
  language: string;
  onRetry(clientId: string): void;
  onDiscard(clientId: string): void;
  /** The message this one answers, when the list holds it (undefined: older than what is loaded, or none). */
  parent?: CachedMessage | undefined;
  /** Present where the chat can be answered and reacted to (the live is open); absent, the row only shows. */
  onReply?: ((message: CachedMessage) => void) | undefined;
  onReact?: ((clientId: string, emoji: string) => void) | undefined;
  /** The reply's quote was chosen: take the list to its parent. */
  onOpenParent?: ((message: CachedMessage) => void) | undefined;
};

/**
 * One chat message. The text goes through React as a text node: markup in a message is shown, never run.
 */
export const MessageRow = memo(function MessageRow({
  message,
  mine,
  t,
  language,
  onRetry,
  onDiscard,
  parent,
  onReply,
  onReact,
  onOpenParent,
}: Props) {
  const time = new Date(message.created_at);
  const name = displayName(message.author);
  const isReply = message.reply_to !== null || message.reply_to_client_id !== null;
  // A reaction needs the message on the server, or queued to it; a refused message takes none.
  const canAct = !message.deleted && message.status !== 'rejected';
  return (
    <div
      className={`message message-${message.status}${mine ? ' message-mine' : ''}`}
      data-status={message.status}
      data-client-id={message.client_id}
    >
      <Avatar author={message.author} />
      <div className="message-body">
        <div className="message-meta">
          <span className="message-author">{name}</span>
          <time className="message-time" dateTime={message.created_at}>
            {Number.isNaN(time.getTime()) ? '' : timeFormat(language).format(time)}
          </time>
          {message.status === 'pending' && (
            <span className="message-state message-state-pending">{t('chat.pending')}</span>
          )}
          {message.status === 'sent' && mine && (
            <span className="message-state message-state-sent" title={t('chat.sent')}>
              <span aria-hidden="true">✓</span>
              <span className="visually-hidden">{t('chat.sent')}</span>
            </span>
          )}
          {message.held && <span className="message-state">{t('chat.held')}</span>}
        </div>
        {isReply && <ReplyQuote parent={parent} t={t} onOpen={() => onOpenParent?.(message)} />}
        {message.deleted ? (
          <p className="message-text message-text-removed">{t('chat.deleted')}</p>
        ) : (
          <p
            className={`message-text${message.hidden ? ' message-text-hidden' : ''}${
              message.type === 'emoji' ? ' message-text-emoji' : ''
            }`}
          >
            {message.content}
            {message.hidden && <span className="message-hidden-note"> · {t('chat.hidden')}</span>}
          </p>
        )}
        {!message.deleted && (
          <ReactionCounts
            reactions={message.reactions}
            t={t}
            serverId={message.server_id}
            onToggle={onReact ? (emoji) => onReact(message.client_id, emoji) : undefined}
          />
        )}
        {canAct && onReply && onReact && (
          <MessageActions
            authorName={name}
            t={t}
            onReply={() => onReply(message)}
            onReact={(emoji) => onReact(message.client_id, emoji)}
          />
        )}
        {message.status === 'rejected' && (
          <div className="message-refusal">
            <p className="message-reason">{t('chat.rejected', { reason: message.reason ?? '' })}</p>
            <div className="message-actions">
              <button
                type="button"
                className="button button-small"
                onClick={() => onRetry(message.client_id)}
              >
                {t('chat.retry')}
              </button>
              <button
                type="button"
                className="button button-small button-ghost"
                onClick={() => onDiscard(message.client_id)}
              >
                {t('chat.discard')}
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
});
