import type { TFunction } from 'i18next';
import type { Reaction } from '../../../shared/wire';

/** Under a message: its reactions as toggles (yours pressed), read as words by a screen reader. */
export function ReactionCounts({
  reactions,
  t,
  onToggle,
}: {
  reactions: readonly Reaction[];
  t: TFunction;
  onToggle(emoji: string): void;
}) {
  if (reactions.length === 0) return null;
  return (
    <ul className="reaction-counts" aria-label={t('chat.reactions')}>
      {reactions.map((reaction) => {
        const label = t(reaction.mine ? 'chat.reactionCountMine' : 'chat.reactionCount', {
          emoji: reaction.emoji,
          count: reaction.count,
        });
        return (
          <li key={reaction.emoji}>
            <button
              type="button"
              className={`reaction-count${reaction.mine ? ' reaction-count-mine' : ''}`}
              aria-pressed={reaction.mine}
              aria-label={label}
              title={label}
              onClick={() => onToggle(reaction.emoji)}
            >
              <span aria-hidden="true">{reaction.emoji}</span>
              <span aria-hidden="true" className="reaction-count-number">
                {reaction.count}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
