import type { TFunction } from 'i18next';
import type { CachedMessage } from '../../../shared/wire';
import { displayName } from '../chat/initials';

/**
 * The one-line quote above a reply: who it answers and the start of what they said, or "Message supprimé" when a
 * moderator took the parent away. A click (or Enter) takes the list to the parent, loading older history first
 * when the parent is not shown yet.
 */
export function ReplyQuote({
  parent,
  t,
  onOpen,
}: {
  /** The answered message when the list holds it; undefined while it is older than what is loaded. */
  parent: CachedMessage | undefined;
  t: TFunction;
  onOpen(): void;
}) {
  const removed = parent?.deleted || parent?.hidden;
  const name = parent ? displayName(parent.author) : '';
  const text = !parent ? t('chat.quoteNotLoaded') : removed ? t('chat.quoteRemoved') : parent.content;
  return (
    <button
      type="button"
      className={`reply-quote${removed ? ' reply-quote-removed' : ''}`}
      onClick={(event) => {
        // The row around may select itself on a click (Modération): the quote goes to the parent instead.
        event.stopPropagation();
        onOpen();
      }}
      aria-label={t('chat.quote', { name: name || '…', text })}
    >
      <span aria-hidden="true">↪ </span>
      {name && <span className="reply-quote-author">{name}</span>}
      <span className="reply-quote-text">{text}</span>
    </button>
  );
}
