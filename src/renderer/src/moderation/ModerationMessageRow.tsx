import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CachedMessage } from '../../../shared/wire';
import { Avatar } from '../components/Avatar';
import { ReactionCounts } from '../components/ReactionCounts';
import { ReplyQuote } from '../components/ReplyQuote';
import { displayName } from '../chat/initials';
import { useFeatureText } from './strings';

export type RowAction = 'hide' | 'unhide' | 'delete' | 'timeout' | 'ban';

type Props = {
  message: CachedMessage;
  /** The message this one answers, when the pane holds it (a click on the quote selects it). */
  parent: CachedMessage | undefined;
  selected: boolean;
  /** An action taken here and not applied yet (offline) or refused. */
  local: { action: string; status: string; error: string | null } | undefined;
  onSelect(clientId: string): void;
  onAction(message: CachedMessage, action: RowAction): void;
  onAuthor(authorId: number): void;
};

/** One message with its moderation buttons. Text is rendered as a text node: never markup. */
export const ModerationMessageRow = memo(function ModerationMessageRow({
  message,
  parent,
  selected,
  local,
  onSelect,
  onAction,
  onAuthor,
}: Props) {
  const { text, actionName, language } = useFeatureText();
  const { t } = useTranslation();
  const time = new Date(message.created_at);
  const canAct = message.status === 'sent' && !message.deleted;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the keys (↑ ↓ H D T B) are handled by the list around the rows.
    <li
      className={`mod-row${selected ? ' mod-row-selected' : ''}${message.hidden ? ' mod-row-hidden' : ''}`}
      data-client-id={message.client_id}
      data-hidden={message.hidden}
      data-deleted={message.deleted}
      aria-current={selected ? 'true' : undefined}
      tabIndex={selected ? 0 : -1}
      onFocus={() => onSelect(message.client_id)}
      onClick={() => onSelect(message.client_id)}
    >
      <Avatar author={message.author} size={28} />
      <div className="mod-row-body">
        <div className="mod-row-meta">
          <span className="mod-row-who">
            <button type="button" className="mod-author" onClick={() => onAuthor(message.author.id)}>
              {displayName(message.author)}
            </button>
            <time dateTime={message.created_at}>
              {Number.isNaN(time.getTime())
                ? ''
                : // 24-hour in every language: "08:45:02", not "08:45:02 AM", so name and time fit beside the actions.
                  time.toLocaleTimeString(language, {
                    hour: '2-digit',
                    minute: '2-digit',
                    second: '2-digit',
                    hourCycle: 'h23',
                  })}
            </time>
          </span>
          {message.hidden && <span className="mod-badge mod-badge-hidden">{text('hidden')}</span>}
          {message.held && <span className="mod-badge mod-badge-held">{text('held')}</span>}
          {local?.status === 'pending' && (
            <span className="mod-badge mod-badge-pending" title={text('pending')}>
              {actionName(local.action)} · {text('pending')}
            </span>
          )}
          {local?.status === 'rejected' && (
            <span className="mod-badge mod-badge-refused">
              {text('refused', { reason: local.error ?? '' })}
            </span>
          )}
        </div>
        {message.reply_to !== null && (
          <ReplyQuote parent={parent} t={t} onOpen={() => parent && onSelect(parent.client_id)} />
        )}
        {message.deleted ? (
          <p className="mod-text mod-text-removed">{text('deleted')}</p>
        ) : (
          <p className="mod-text">{message.content}</p>
        )}
        {/* What moderators weigh too: who reacted, on hover (a hidden message's reactions are staff-only). */}
        {!message.deleted && (
          <ReactionCounts reactions={message.reactions} t={t} serverId={message.server_id} />
        )}
      </div>
      {canAct && (
        <div className="mod-row-actions">
          {message.hidden ? (
            <button type="button" className="button button-small" onClick={() => onAction(message, 'unhide')}>
              {text('unhide')}
            </button>
          ) : (
            <button
              type="button"
              className="button button-small"
              onClick={() => onAction(message, 'hide')}
              aria-keyshortcuts="H"
            >
              {text('hide')}
            </button>
          )}
          <button
            type="button"
            className="button button-small"
            onClick={() => onAction(message, 'delete')}
            aria-keyshortcuts="D"
          >
            {text('delete')}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => onAction(message, 'timeout')}
            aria-keyshortcuts="T"
          >
            {text('timeout')}
          </button>
          <button
            type="button"
            className="button button-small button-danger"
            onClick={() => onAction(message, 'ban')}
            aria-keyshortcuts="B"
          >
            {text('ban')}
          </button>
        </div>
      )}
    </li>
  );
});
