import { sql } from 'drizzle-orm';
import { REACTION_MAX_DISTINCT } from '../../shared/limits';
import type { Message } from '../../shared/wire';
import type { StoredReaction } from '../db/schema';
import { type Executor, firstRow, rows, toNumber } from '../db/sql';
import { type AccessRow, accessFromRow } from './access';
import type { Actor, DomainEnv } from './env';
import {
  isReadable,
  LIVE_COLUMNS,
  MESSAGE_COLUMNS,
  type MessageRow,
  type Reader,
  storedReactions,
  toMessage,
} from './mappers';
import { LIVE_NOT_FOUND, Refusal } from './refusal';
import { readerOf } from './send-batch';
import { checkMayWrite } from './send-rules';
import { inVersionedWrite } from './write';

export type ReactInput = {
  postId: number;
  messageId: number;
  emoji: string;
  /** Absent: toggle. true/false: given / taken back, whatever it was (what an offline outbox replays). */
  on?: boolean | undefined;
};

export const MESSAGE_NOT_FOUND = 'Message not found on this live.';
/** What one statement carries at most: a longer queue is split. */
const MAX_BATCH = 256;

type Waiting = {
  actor: Actor;
  emoji: string;
  on: boolean | undefined;
  resolve: (message: Message) => void;
  reject: (error: unknown) => void;
};
type Queue = { waiting: Waiting[] };
/** Per environment, the reactions waiting for each message's batch (`postId:messageId`); absent: none running. */
const queues = new WeakMap<DomainEnv, Map<string, Queue>>();

/**
 * Queues one caller's reaction (its emoji already checked) for its message's next batch, and starts the batches
 * when none run. A message's batches are written one at a time per process: what arrives while one is written
 * goes together in the next, applied in arrival order under the row's lock (reactions.ts `react` says why).
 */
export function enqueueReaction(env: DomainEnv, actor: Actor, input: ReactInput): Promise<Message> {
  const { emoji } = input;
  return new Promise((resolve, reject) => {
    const byMessage = queues.get(env) ?? new Map<string, Queue>();
    queues.set(env, byMessage);
    const key = `${input.postId}:${input.messageId}`;
    const running = byMessage.get(key);
    const waiting: Waiting = { actor, emoji, on: input.on, resolve, reject };
    if (running) return void running.waiting.push(waiting);
    const queue: Queue = { waiting: [waiting] };
    byMessage.set(key, queue);
    void (async () => {
      for (;;) {
        await writeBatch(env, input.postId, input.messageId, queue.waiting.splice(0, MAX_BATCH));
        if (queue.waiting.length === 0) break;
        // A turn of the event loop between batches: what else waits for the database goes first (PGlite runs
        // one transaction at a time, and the hub's reads would otherwise wait for the whole burst).
        await new Promise((resolve) => setImmediate(resolve));
      }
      byMessage.delete(key);
    })();
  });
}

/** One batch of one message's reactions, in one transaction; each waiting caller gets its answer or refusal. */
async function writeBatch(env: DomainEnv, postId: number, messageId: number, batch: Waiting[]) {
  try {
    const { row, readers, refused, notice } = await inVersionedWrite(env, async (tx) => {
      const readers = await readersOf(tx, postId, batch);
      const locked = await firstRow<MessageRow>(
        tx,
        sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
            where m.id = ${messageId} and m.post_id = ${postId} for update of m`,
      );
      const { next, given, taken, refused } = applyInOrder(locked, batch, readers);
      const before = JSON.stringify(storedReactions(locked?.reactions));
      if (!locked || JSON.stringify(next) === before) return { row: locked, readers, refused, notice: null };
      const [written] = await rows<MessageRow>(tx, rewrite(postId, messageId, next, given, taken));
      const changed = { postId, version: toNumber(written!.version) };
      if (!env.fanout.announce) await env.fanout.publish(tx, changed);
      return { row: written, readers, refused, notice: changed };
    });
    // After the commit, as sends do (realtime/announcer.ts): a NOTIFY inside the transaction holds Postgres's
    // notify lock through the commit, for every writer of the cluster.
    if (notice) env.fanout.announce?.(notice);
    for (const waiting of batch) {
      // No refusal: applyInOrder found a reader for it (an access refusal, a missing row are refusals).
      const refusal = refused.get(waiting);
      if (refusal || !row) waiting.reject(refusal ?? new Refusal('not_found', MESSAGE_NOT_FOUND));
      else waiting.resolve(toMessage(row, readers.get(waiting) as Reader));
    }
  } catch (error) {
    // The transaction failed, nothing of the batch was written: every caller in it gets the error.
    for (const waiting of batch) waiting.reject(error);
  }
}

/**
 * Every caller's rights on the live, in one query (as loadLiveAccess reads them for one): the reader each may
 * react as, or the refusal (an unknown live, a live not open, a ban or a timeout).
 */
async function readersOf(tx: Executor, postId: number, batch: Waiting[]) {
  const ids = [...new Set(batch.map((waiting) => waiting.actor.id))];
  const found = await rows<AccessRow & { caller_id: unknown }>(
    tx,
    sql`select ${sql.raw(LIVE_COLUMNS)}, a.caller_id,
          exists(select 1 from live_roles r where r.post_id = p.id and r.user_id = a.caller_id) as is_moderator,
          (b.user_id is not null and (b.expires_at is null or b.expires_at > now())) as ban_active,
          b.expires_at as ban_expires_at,
          ceil(extract(epoch from b.expires_at - now())) as ban_seconds_left
        from posts p
        join users h on h.id = p.host_id
        cross join unnest(${`{${ids.join(',')}}`}::bigint[]) a(caller_id)
        left join live_bans b on b.post_id = p.id and b.user_id = a.caller_id
        where p.id = ${postId}`,
  );
  const byCaller = new Map(found.map((row) => [toNumber(row.caller_id), row]));
  const readers = new Map<Waiting, Reader | Refusal>();
  for (const waiting of batch) {
    const row = byCaller.get(waiting.actor.id);
    if (!row) {
      readers.set(waiting, new Refusal('not_found', LIVE_NOT_FOUND));
      continue;
    }
    const access = accessFromRow(row, waiting.actor.id);
    try {
      checkMayWrite(access);
      readers.set(waiting, readerOf(waiting.actor, access));
    } catch (refusal) {
      readers.set(waiting, refusal as Refusal);
    }
  }
  return readers;
}

type Mark = { userId: number; emoji: string };

/**
 * The batch's reactions applied one after the other to the row's standing ones: the reactions as they end,
 * which (user, emoji) pairs end given or taken back that were not before (a pair given and taken back within
 * one batch never stood in any committed state, so chat_reactions does not record it either), and the refusals.
 */
function applyInOrder(
  locked: MessageRow | undefined,
  batch: Waiting[],
  readers: Map<Waiting, Reader | Refusal>,
) {
  const next = storedReactions(locked?.reactions).map((reaction) => ({ e: reaction.e, u: [...reaction.u] }));
  const refused = new Map<Waiting, Refusal>();
  const first = new Map<string, { mark: Mark; was: boolean; now: boolean }>();
  for (const waiting of batch) {
    const reader = readers.get(waiting)!;
    if (reader instanceof Refusal) {
      refused.set(waiting, reader);
      continue;
    }
    if (!locked || !isReadable(locked, reader)) {
      refused.set(waiting, new Refusal('not_found', MESSAGE_NOT_FOUND));
      continue;
    }
    const userId = waiting.actor.id;
    const entry = next.find((reaction) => reaction.e === waiting.emoji);
    const mine = entry?.u.some((id) => Number(id) === userId) ?? false;
    const wanted = waiting.on ?? !mine;
    if (wanted === mine) continue;
    if (wanted && !entry && next.length >= REACTION_MAX_DISTINCT) {
      const limit = `At most ${REACTION_MAX_DISTINCT} different reactions per message.`;
      refused.set(waiting, new Refusal('invalid_input', limit, { errors: { emoji: [limit] } }));
      continue;
    }
    if (wanted) {
      if (entry) entry.u.push(userId);
      else next.push({ e: waiting.emoji, u: [userId] });
    } else {
      entry!.u = entry!.u.filter((id) => Number(id) !== userId);
      if (entry!.u.length === 0) next.splice(next.indexOf(entry!), 1);
    }
    const key = `${userId}\u0000${waiting.emoji}`;
    const seen = first.get(key);
    if (seen) seen.now = wanted;
    else first.set(key, { mark: { userId, emoji: waiting.emoji }, was: mine, now: wanted });
  }
  const ended = [...first.values()].filter((pair) => pair.was !== pair.now);
  return {
    next,
    given: ended.filter((pair) => pair.now).map((pair) => pair.mark),
    taken: ended.filter((pair) => !pair.now).map((pair) => pair.mark),
    refused,
  };
}

/**
 * The whole write in one statement, under the row's lock: chat_reactions' records, the row's new reactions and
 * version, and the row as the mappers take it. `given` and `taken` name different pairs, so the insert and the
 * update (which run side by side) never meet on the one-standing-reaction index.
 */
function rewrite(postId: number, messageId: number, next: StoredReaction[], given: Mark[], taken: Mark[]) {
  return sql`with taken as (
        update chat_reactions set removed_at = now()
        where message_id = ${messageId} and removed_at is null
          and (user_id, emoji) in (select t."userId", t.emoji
                                   from jsonb_to_recordset(${JSON.stringify(taken)}::jsonb) t("userId" bigint, emoji text))),
      given as (
        insert into chat_reactions (message_id, post_id, user_id, emoji)
        select ${messageId}, ${postId}, t."userId", t.emoji
        from jsonb_to_recordset(${JSON.stringify(given)}::jsonb) t("userId" bigint, emoji text)),
      bumped as (
        update chat_messages set reactions = ${JSON.stringify(next)}::jsonb, version = nextval('chat_version_seq')
        where id = ${messageId} returning *)
    select ${sql.raw(MESSAGE_COLUMNS)} from bumped m join users u on u.id = m.author_id`;
}
