import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import type { Reaction } from '../../../shared/wire';
import { useTRPC } from '../trpc';

/** How many names a hover lists before "and N others". */
const NAMES_SHOWN = 10;

/**
 * Under a message: its reactions as toggles (yours pressed), read as words by a screen reader; hovering or
 * focusing them names who gave each (from the host's copy of the live's history: offline too). Without
 * `onToggle` (a replay) they are read-only.
 */
export function ReactionCounts({
  reactions,
  t,
  serverId,
  onToggle,
}: {
  reactions: readonly Reaction[];
  t: TFunction;
  /** The message's id on the server, when it has one: who reacted is asked by it. */
  serverId?: number | null;
  onToggle?: ((emoji: string) => void) | undefined;
}) {
  const trpc = useTRPC();
  // Names are asked for the first time the counts are hovered or focused, not for every message shown.
  const [curious, setCurious] = useState(false);
  const givers = useQuery({
    ...trpc.chat.reactionGivers.queryOptions({ serverId: serverId ?? 0 }),
    enabled: curious && typeof serverId === 'number' && reactions.length > 0,
  });
  if (reactions.length === 0) return null;
  const namesOf = (emoji: string) => {
    const names = givers.data?.find((entry) => entry.emoji === emoji)?.names ?? [];
    if (names.length === 0) return '';
    const shown = names.slice(0, NAMES_SHOWN).join(', ');
    return names.length > NAMES_SHOWN
      ? t('chat.reactedByMore', { names: shown, count: names.length - NAMES_SHOWN })
      : t('chat.reactedBy', { names: shown });
  };
  return (
    <ul
      className="reaction-counts"
      aria-label={t('chat.reactions')}
      onMouseEnter={() => setCurious(true)}
      onFocus={() => setCurious(true)}
    >
      {reactions.map((reaction) => {
        const label = t(reaction.mine ? 'chat.reactionCountMine' : 'chat.reactionCount', {
          emoji: reaction.emoji,
          count: reaction.count,
        });
        const names = namesOf(reaction.emoji);
        const title = names ? `${label}\n${names}` : label;
        const body = (
          <>
            <span aria-hidden="true">{reaction.emoji}</span>
            <span aria-hidden="true" className="reaction-count-number">
              {reaction.count}
            </span>
          </>
        );
        return (
          <li key={reaction.emoji}>
            {onToggle ? (
              <button
                type="button"
                className={`reaction-count${reaction.mine ? ' reaction-count-mine' : ''}`}
                aria-pressed={reaction.mine}
                aria-label={label}
                aria-description={names || undefined}
                title={title}
                onClick={() => onToggle(reaction.emoji)}
              >
                {body}
              </button>
            ) : (
              <span
                role="img"
                className={`reaction-count reaction-count-static${reaction.mine ? ' reaction-count-mine' : ''}`}
                aria-label={label}
                title={title}
              >
                {body}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
