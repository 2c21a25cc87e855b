import { sql } from 'drizzle-orm';
import type { ChatEvent, Message } from '../../shared/wire';
import { firstRow, rows, toNumber, type Executor } from '../db/sql';
import { loadLiveAccess, type LiveAccess } from './access';
import type { Actor, DomainEnv } from './env';
import { blockedTermsMatcher } from './blocked-terms';
import { safeHorizon } from './horizon';
import {
  type LiveRow,
  liveEvent,
  MESSAGE_COLUMNS,
  messageEvent,
  type MessageRow,
  type Reader,
  toMessage,
} from './mappers';
import { Refusal, refuse } from './refusal';
import { inVersionedWrite } from './write';

/** Counter shards (see post_counters): concurrent senders spread their count updates over this many rows. */
export const COUNTER_SHARDS = 16;
const LOCK_NAMESPACE_AUTHOR = 0x6363;

export type SendInput = { postId: number; clientId: string; content: string };

export function readerOf(actor: Actor | null, access: LiveAccess): Reader {
  return { userId: actor?.id ?? null, staff: access.staff };
}

async function findByClientId(tx: Executor, authorId: number, clientId: string) {
  return firstRow<MessageRow>(
    tx,
    sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
        where m.author_id = ${authorId} and m.client_id = ${clientId}::uuid`,
  );
}

/** Refuses a send the live's state, the caller's standing or the limits do not allow (nothing written). */
async function checkMayPost(env: DomainEnv, tx: Executor, actor: Actor, access: LiveAccess) {
  if (access.live.status === 'ended') refuse('live_not_open', 'This live has ended.');
  if (access.live.status !== 'live') refuse('live_not_open', 'This live has not started yet.');
  if (access.restriction?.until === null) refuse('banned', 'You are banned from this live’s chat.');
  if (access.restriction)
    refuse('timed_out', `You are timed out for ${access.restriction.retryAfterSeconds} s.`, {
      retryAfterSeconds: access.restriction.retryAfterSeconds,
    });
  const { rateWindowSeconds, rateViewer, ratePrivileged } = env.limits;
  const slow = access.staff ? 0 : toNumber(access.live.slow_mode_seconds);
  const recent = await firstRow<{ in_window: unknown; oldest_age: unknown; last_age: unknown }>(
    tx,
    sql`select count(*) filter (where created_at > now() - make_interval(secs => ${rateWindowSeconds})) as in_window,
          extract(epoch from now() - min(created_at) filter (where created_at > now() - make_interval(secs => ${rateWindowSeconds}))) as oldest_age,
          extract(epoch from now() - max(created_at)) as last_age
        from chat_messages
        where post_id = ${toNumber(access.live.id)} and author_id = ${actor.id}
          and created_at > now() - make_interval(secs => ${Math.max(rateWindowSeconds, slow)})`,
  );
  const lastAge = recent?.last_age === null ? null : Number(recent?.last_age);
  if (slow > 0 && lastAge !== null && lastAge < slow) {
    const wait = Math.max(1, Math.ceil(slow - lastAge));
    refuse('slow_mode', `Slow mode is on: you can send another message in ${wait} s.`, {
      retryAfterSeconds: wait,
    });
  }
  const limit = access.staff ? ratePrivileged : rateViewer;
  if (toNumber(recent?.in_window ?? 0) >= limit) {
    const wait = Math.max(1, Math.ceil(rateWindowSeconds - Number(recent?.oldest_age ?? 0)));
    refuse(
      'rate_limited',
      `Too many messages: at most ${limit} per ${rateWindowSeconds} s. Try again in ${wait} s.`,
      {
        retryAfterSeconds: wait,
      },
    );
  }
}

/**
 * Sends a message, idempotently on (author, clientId): a retry returns the first message, never a second row,
 * whatever happened since (the client may have missed our first answer). One author's sends are serialised by
 * an advisory lock, so that the idempotency check, slow mode and the rate limit hold under concurrency.
 */
export async function sendMessage(env: DomainEnv, actor: Actor, input: SendInput): Promise<Message> {
  if (!env.observer) return sendOnce(env, actor, input);
  try {
    const message = await sendOnce(env, actor, input);
    env.observer.sendOutcome({ accepted: true });
    return message;
  } catch (error) {
    if (error instanceof Refusal) env.observer.sendOutcome({ accepted: false, reason: error.code });
    throw error;
  }
}

async function sendOnce(env: DomainEnv, actor: Actor, input: SendInput): Promise<Message> {
  const { message, created } = await inVersionedWrite(env, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE_AUTHOR}, ${actor.id}::int)`);
    const existing = await findByClientId(tx, actor.id, input.clientId);
    const access = await loadLiveAccess(tx, input.postId, actor);
    if (existing) {
      if (toNumber(existing.post_id) !== input.postId)
        refuse('invalid_input', 'This clientId was already used for a message on another live.', {
          errors: { clientId: ['Already used on another live.'] },
        });
      return { message: toMessage(existing, readerOf(actor, access)), created: false };
    }
    await checkMayPost(env, tx, actor, access);
    // Blocked terms hold a viewer's message for review; the staff's own messages are never held.
    const held =
      !access.staff &&
      (await blockedTermsMatcher(env, tx, input.postId, toNumber(access.live.blocked_terms_revision))).blocks(
        input.content,
      );
    const shown = held ? 0 : 1;
    const [inserted] = await rows<MessageRow>(
      tx,
      sql`with m as (
            insert into chat_messages (post_id, author_id, client_id, content, held)
            values (${input.postId}, ${actor.id}, ${input.clientId}::uuid, ${input.content}, ${held})
            returning *
          ), c as (
            insert into post_counters (post_id, shard, visible, listed)
            select post_id, ${actor.id % COUNTER_SHARDS}, ${shown}, 1 from m
            on conflict (post_id, shard) do update
              set visible = post_counters.visible + ${shown}, listed = post_counters.listed + 1
          )
          select m.*, ${actor.first_name} as first_name, ${actor.last_name} as last_name,
                 ${actor.profile_picture}::text as profile_picture
          from m`,
    );
    const message = toMessage(inserted!, readerOf(actor, access));
    if (!env.fanout.announce)
      await env.fanout.publish(tx, { postId: input.postId, version: message.version });
    return { message, created: true };
  });
  // After the commit: see announcer.ts for why the hot path does not NOTIFY inside its transaction.
  if (created) env.fanout.announce?.({ postId: input.postId, version: message.version });
  return message;
}

export type HistoryInput = { postId: number; beforeId?: number | undefined; limit?: number | undefined };

/** One page back in time from `beforeId` (exclusive), newest first: viewers see what viewers may see. */
export async function chatHistory(env: DomainEnv, actor: Actor, input: HistoryInput): Promise<Message[]> {
  const access = await loadLiveAccess(env.db, input.postId, actor);
  const reader = readerOf(actor, access);
  const filter = access.staff
    ? sql`not m.deleted`
    : sql`not m.hidden and not m.deleted and (not m.held or m.author_id = ${actor.id})`;
  const found = await rows<MessageRow>(
    env.db,
    sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
        where m.post_id = ${input.postId} and ${filter}
          and (${input.beforeId ?? null}::bigint is null or m.id < ${input.beforeId ?? null})
        order by m.id desc limit ${input.limit ?? 50}`,
  );
  return found.map((row) => toMessage(row, reader));
}

export type PullInput = {
  postId: number;
  cursor: number;
  limit?: number | undefined;
  withTotal?: boolean | undefined;
};
/** `total`: events left after the cursor, or null when the caller did not ask for it (`withTotal: false`). */
export type PullResult = { events: ChatEvent[]; cursor: number; hasMore: boolean; total: number | null };

/**
 * Every change of this live after `cursor`, in version order, up to the safe horizon (horizon.ts). The returned
 * cursor covers exactly what was returned, so pulling again from it never skips a change.
 */
export async function pullEvents(env: DomainEnv, actor: Actor | null, input: PullInput): Promise<PullResult> {
  const access = await loadLiveAccess(env.db, input.postId, actor);
  return readEvents(
    env,
    access,
    readerOf(actor, access),
    input.cursor,
    input.limit ?? 500,
    input.withTotal ?? true,
  );
}

export type ChangeRows = {
  messages: MessageRow[];
  /** The live's own row when it changed inside the returned range. */
  live: LiveRow | null;
  /** Every change of this live up to this version has been returned. */
  cursor: number;
  hasMore: boolean;
  horizon: number;
};

/** The raw rows of one live's changes after `cursor` (shared by pull and the subscription hub). */
export async function readChanges(
  env: DomainEnv,
  postId: number,
  cursor: number,
  limit: number,
): Promise<ChangeRows> {
  const horizon = await safeHorizon(env);
  const found = await rows<MessageRow>(
    env.db,
    sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
        where m.post_id = ${postId} and m.version > ${cursor} and m.version <= ${horizon}
        order by m.version limit ${limit + 1}`,
  );
  const hasMore = found.length > limit;
  const messages = hasMore ? found.slice(0, limit) : found;
  const upTo = hasMore ? toNumber(messages[messages.length - 1]!.version) : Math.max(cursor, horizon);
  // The live's own row (status, slow mode) is read after the horizon, so its version is settled too.
  const live = (await loadLiveAccess(env.db, postId, null)).live;
  const liveVersion = toNumber(live.version);
  return {
    messages,
    live: liveVersion > cursor && liveVersion <= upTo ? live : null,
    cursor: upTo,
    hasMore,
    horizon,
  };
}

/** Rows → events for one reader, in version order. */
export function toEvents(changes: Pick<ChangeRows, 'messages' | 'live'>, reader: Reader): ChatEvent[] {
  const events = changes.messages.map((row) => messageEvent(row, reader));
  if (changes.live) {
    events.push(liveEvent(changes.live));
    events.sort((a, b) => a.version - b.version);
  }
  return events;
}

async function readEvents(
  env: DomainEnv,
  access: LiveAccess,
  reader: Reader,
  cursor: number,
  limit: number,
  withTotal: boolean,
): Promise<PullResult> {
  const postId = toNumber(access.live.id);
  const changes = await readChanges(env, postId, cursor, limit);
  const events = toEvents(changes, reader);
  if (!withTotal) return { events, cursor: changes.cursor, hasMore: changes.hasMore, total: null };
  const remaining = await firstRow<{ n: unknown }>(
    env.db,
    sql`select count(*) as n from chat_messages where post_id = ${postId} and version > ${cursor}
          and version <= ${changes.horizon}`,
  );
  const liveVersion = toNumber(access.live.version);
  const liveLeft = liveVersion > cursor && liveVersion <= changes.horizon ? 1 : 0;
  return {
    events,
    cursor: changes.cursor,
    hasMore: changes.hasMore,
    total: toNumber(remaining!.n) + liveLeft,
  };
}
