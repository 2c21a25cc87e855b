import { sql } from 'drizzle-orm';
import { isSingleEmoji } from '../../shared/emoji';
import type { Message } from '../../shared/wire';
import { type Executor, rows, toIso, toNumber } from '../db/sql';
import { loadLiveAccess } from './access';
import type { Actor, DomainEnv } from './env';
import { isReadable, type MessageRow, storedReactions } from './mappers';
import { readMessageRow } from './message-rows';
import { enqueueReaction, MESSAGE_NOT_FOUND, type ReactInput } from './reaction-batch';
import { refuse } from './refusal';
import { readerOf } from './send-batch';

export type { ReactInput } from './reaction-batch';

/**
 * One reaction given or taken back (issue 16): one emoji on one message by one user, at most once. The standing
 * reactions are rewritten on the message's row with a new version, so that pulls and subscriptions carry them
 * like any change of the message; chat_reactions keeps when each was given and taken back. Whoever may read
 * the message and write in the chat may react; a repeat of the same state changes nothing.
 *
 * Reactions on one message are written in batches, one at a time per message and process: those that arrive
 * while a batch is being written go together in the next, applied in arrival order under the row's lock, so the
 * counts stay exact. One transaction per reaction capped a message at what its row lock let through (a few
 * hundred a second, each holding a pooled connection while it waited: a busy message starved the server's other
 * requests). A lone reaction is written at once. A waiting reaction holds no connection: the batch reads every
 * caller's rights on the live in one query, and one refusal never fails the others.
 */
export async function react(env: DomainEnv, actor: Actor, input: ReactInput): Promise<Message> {
  const emoji = input.emoji.trim();
  if (!isSingleEmoji(emoji))
    refuse('invalid_input', 'emoji: A reaction is one emoji.', {
      errors: { emoji: ['A reaction is one emoji.'] },
    });
  return enqueueReaction(env, actor, { ...input, emoji });
}

export type ReactionGiven = {
  emoji: string;
  user_id: number;
  first_name: string;
  last_name: string;
  at: string;
};

/** Who gave the reactions standing on a message (names on hover), oldest first; what the reader may read only. */
export async function reactionsOf(
  env: DomainEnv,
  actor: Actor,
  input: { postId: number; messageId: number },
): Promise<ReactionGiven[]> {
  const access = await loadLiveAccess(env.db, input.postId, actor);
  const message = await readMessageRow(env.db, input.messageId);
  if (!message || toNumber(message.post_id) !== input.postId || !isReadable(message, readerOf(actor, access)))
    refuse('not_found', MESSAGE_NOT_FOUND);
  const found = await rows<{
    emoji: string;
    user_id: unknown;
    first_name: string;
    last_name: string;
    created_at: unknown;
  }>(
    env.db,
    sql`select r.emoji, r.user_id, u.first_name, u.last_name, r.created_at from chat_reactions r
        join users u on u.id = r.user_id
        where r.message_id = ${input.messageId} and r.removed_at is null order by r.id`,
  );
  return found.map((row) => ({
    emoji: row.emoji,
    user_id: toNumber(row.user_id),
    first_name: row.first_name,
    last_name: row.last_name,
    at: toIso(row.created_at)!,
  }));
}

/**
 * A banned user's reactions go with them (issue 16): every one they stand behind on this live is taken back,
 * in the caller's transaction, each message rewritten with a new version (so every reader's counts follow).
 * Returns how many were removed, for the moderation log.
 */
export async function removeReactionsOf(
  env: DomainEnv,
  tx: Executor,
  postId: number,
  userId: number,
): Promise<number> {
  const removed = await rows<{ message_id: unknown }>(
    tx,
    sql`update chat_reactions set removed_at = now()
        where post_id = ${postId} and user_id = ${userId} and removed_at is null returning message_id`,
  );
  if (removed.length === 0) return 0;
  const ids = [...new Set(removed.map((row) => toNumber(row.message_id)))].sort((a, b) => a - b);
  const locked = await rows<{ id: unknown; reactions: MessageRow['reactions'] }>(
    tx,
    sql`select id, reactions from chat_messages where id = any(${`{${ids.join(',')}}`}::bigint[])
        order by id for update`,
  );
  let version = 0;
  for (const row of locked) {
    const next = storedReactions(row.reactions)
      .map((reaction) => ({ e: reaction.e, u: reaction.u.filter((id) => Number(id) !== userId) }))
      .filter((reaction) => reaction.u.length > 0);
    const [bumped] = await rows<{ version: unknown }>(
      tx,
      sql`update chat_messages set reactions = ${JSON.stringify(next)}::jsonb, version = nextval('chat_version_seq')
          where id = ${toNumber(row.id)} returning version`,
    );
    version = Math.max(version, toNumber(bumped!.version));
  }
  await env.fanout.publish(tx, { postId, version });
  return removed.length;
}
