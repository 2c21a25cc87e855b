import { sql } from 'drizzle-orm';
import type { ReactionHistory } from '../../shared/wire';
import { rows, toIso, toNumber } from '../db/sql';
import { loadLiveAccess } from './access';
import type { Actor, DomainEnv } from './env';
import { isReadable } from './mappers';
import { readerOf } from './send-batch';

/** One answer's most entries; a longer history comes in pages (`after_id`, the same `since`). */
export const REACTION_HISTORY_PAGE = 5_000;

/**
 * Every reaction of a live with when it was given and taken back, or only those that changed since `since` (the
 * host keeps a copy for offline replay at any moment, issue 16). A reaction on a message the reader may not read
 * (hidden, deleted, held) is left out, as the message's counts are. `since` compares with transaction start
 * times (now()), so a caller asks again from a little before the last `as_of` and stores entries by id.
 */
export async function reactionHistory(
  env: DomainEnv,
  actor: Actor,
  input: { postId: number; since?: string | undefined; afterId?: number | undefined },
): Promise<ReactionHistory> {
  const access = await loadLiveAccess(env.db, input.postId, actor);
  const reader = readerOf(actor, access);
  const since = input.since ?? null;
  const found = await rows<{
    id: unknown;
    message_id: unknown;
    emoji: string;
    user_id: unknown;
    first_name: string;
    last_name: string;
    created_at: unknown;
    removed_at: unknown;
    deleted: boolean;
    hidden: boolean;
    held: boolean;
    author_id: unknown;
    as_of: unknown;
  }>(
    env.db,
    sql`select r.id, r.message_id, r.emoji, r.user_id, u.first_name, u.last_name, r.created_at, r.removed_at,
               m.deleted, m.hidden, m.held, m.author_id, now() as as_of
        from chat_reactions r
        join chat_messages m on m.id = r.message_id
        join users u on u.id = r.user_id
        where r.post_id = ${input.postId} and r.id > ${input.afterId ?? 0}
          and (${since}::timestamptz is null or r.created_at > ${since}::timestamptz
               or r.removed_at > ${since}::timestamptz)
        order by r.id
        limit ${REACTION_HISTORY_PAGE}`,
  );
  const asOf =
    found.length > 0
      ? toIso(found[0]!.as_of)!
      : toIso((await rows<{ now: unknown }>(env.db, sql`select now()`))[0]!.now)!;
  return {
    next_after_id: found.length === REACTION_HISTORY_PAGE ? toNumber(found[found.length - 1]!.id) : null,
    entries: found
      .filter((row) => isReadable(row, reader))
      .map((row) => ({
        id: toNumber(row.id),
        message_id: toNumber(row.message_id),
        emoji: row.emoji,
        user_id: toNumber(row.user_id),
        name: `${row.first_name} ${row.last_name}`.trim(),
        given_at: toIso(row.created_at)!,
        taken_at: toIso(row.removed_at),
      })),
    as_of: asOf,
  };
}
