import { sql } from 'drizzle-orm';
import type { ChatEvent, Message } from '../../shared/wire';
import { firstRow, rows, toNumber } from '../db/sql';
import { loadLiveAccess, type LiveAccess } from './access';
import type { Actor, DomainEnv } from './env';
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
import { Refusal } from './refusal';
import { readerOf, type SendInput } from './send-batch';
import { sendBatcherOf } from './send-batcher';

export { COUNTER_SHARDS, readerOf, type SendInput } from './send-batch';

/**
 * Sends a message, idempotently on (author, clientId): a retry returns the first message, never a second row,
 * whatever happened since (the client may have missed our first answer). Sends are written in batches, one
 * transaction for all that arrive together (send-batcher.ts); each is checked and refused on its own.
 */
export async function sendMessage(env: DomainEnv, actor: Actor, input: SendInput): Promise<Message> {
  const sending = sendBatcherOf(env).send(actor, input);
  if (!env.observer) return sending;
  try {
    const message = await sending;
    env.observer.sendOutcome({ accepted: true });
    return message;
  } catch (error) {
    if (error instanceof Refusal) env.observer.sendOutcome({ accepted: false, reason: error.code });
    throw error;
  }
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
