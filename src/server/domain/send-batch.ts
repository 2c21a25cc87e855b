import { sql } from 'drizzle-orm';
import type { Message, MessageType } from '../../shared/wire';
import { rows, toNumber, type Executor } from '../db/sql';
import type { ChangeNotice } from '../realtime/fanout';
import { type AccessRow, accessFromRow, type LiveAccess } from './access';
import { blockedTermsMatcher } from './blocked-terms';
import type { Actor, DomainEnv } from './env';
import { LIVE_COLUMNS, MESSAGE_COLUMNS, type MessageRow, type Reader, toMessage } from './mappers';
import { LIVE_NOT_FOUND, Refusal, refuse } from './refusal';
import { checkMayPost, checkReplyParent, checkSendInput, type RecentSends, recordSend } from './send-rules';
import { rememberLive, writeFastPath } from './send-fast-path';
import { inSendTransaction, jsonLiteral, type SendPlan } from './send-transaction';

/** Counter shards (see post_counters): concurrent writers spread their count updates over this many rows. */
export const COUNTER_SHARDS = 16;
/** The advisory lock space of "one author's sends", shared by every server process on the database. */
const LOCK_NAMESPACE_AUTHOR = 0x6363;

export type SendInput = {
  postId: number;
  clientId: string;
  content: string;
  type?: MessageType | undefined;
  /** The message of the same live this one answers (issue 16). */
  replyTo?: number | null | undefined;
};
export type SendRequest = { actor: Actor; input: SendInput };
/**
 * Per request, in order: the message (new or the earlier one with this clientId), why it was refused, or the
 * fault that kept it from being written.
 */
export type SendOutcome = { message: Message } | { refusal: Refusal } | { error: unknown };

export function readerOf(actor: Actor | null, access: LiveAccess): Reader {
  return { userId: actor?.id ?? null, staff: access.staff };
}

type PairRow = AccessRow & {
  req_author_id: unknown;
  /** The pair's requested clientIds that this author already used (on any live): usually none. */
  used_client_ids: string[] | string | null;
  in_window: unknown;
  oldest_age: unknown;
  last_age: unknown;
};

type PairState = { authorId: number; access: LiveAccess; recent: RecentSends; usedClientIds: string[] };

const pairKey = (postId: number, authorId: number) => `${postId}:${authorId}`;
const sendKey = (authorId: number, clientId: string) => `${authorId}:${clientId.toLowerCase()}`;

/** As loadLiveAccess (access.ts) shapes one caller's rights, for a row of the batched read below. */
const toAccess = (row: PairRow): LiveAccess => accessFromRow(row, toNumber(row.req_author_id));

/**
 * Every (live, author) pair of the batch in one query: the live, the author's role and restriction on it, their
 * recent messages there (rate limit and slow mode), and which of their requested clientIds are already used
 * (idempotent retries, read in full only then). A live that does not exist has no row (404). SQL text with its
 * values inlined (send-transaction.ts says why).
 */
function pairsSql(env: DomainEnv, requests: SendRequest[]): string {
  const pairs = new Map<string, { post_id: number; author_id: number; client_ids: string[] }>();
  for (const { actor, input } of requests) {
    const key = pairKey(input.postId, actor.id);
    const pair = pairs.get(key) ?? { post_id: input.postId, author_id: actor.id, client_ids: [] };
    pair.client_ids.push(input.clientId);
    pairs.set(key, pair);
  }
  // clientIds are checked uuids (send-rules.ts): safe inside an array literal.
  const values = [...pairs.values()].map((pair) => ({
    ...pair,
    client_ids: `{${pair.client_ids.join(',')}}`,
  }));
  const window = Math.trunc(env.limits.rateWindowSeconds);
  return `select x.author_id as req_author_id, ${LIVE_COLUMNS},
      exists(select 1 from live_roles r where r.post_id = p.id and r.user_id = x.author_id) as is_moderator,
      (b.user_id is not null and (b.expires_at is null or b.expires_at > now())) as ban_active,
      b.expires_at as ban_expires_at,
      ceil(extract(epoch from b.expires_at - now())) as ban_seconds_left,
      s.in_window, s.oldest_age, s.last_age,
      array(select e.client_id::text from chat_messages e
            where e.author_id = x.author_id and e.client_id = any(x.client_ids::uuid[])) as used_client_ids
    from json_to_recordset(${jsonLiteral(values)}) as x(post_id bigint, author_id bigint, client_ids text)
    join posts p on p.id = x.post_id
    join users h on h.id = p.host_id
    left join live_bans b on b.post_id = p.id and b.user_id = x.author_id
    cross join lateral (
      select count(*) filter (where c.created_at > now() - make_interval(secs => ${window})) as in_window,
        extract(epoch from now() - min(c.created_at) filter (where c.created_at > now() - make_interval(secs => ${window}))) as oldest_age,
        extract(epoch from now() - max(c.created_at)) as last_age
      from chat_messages c
      where c.post_id = p.id and c.author_id = x.author_id
        and c.created_at > now() - make_interval(secs => greatest(${window}, p.slow_mode_seconds))
    ) s`;
}

function pairStates(env: DomainEnv, found: PairRow[]) {
  const states = new Map<string, PairState>();
  for (const row of found) {
    rememberLive(env, toNumber(row.id), {
      blockedTermsRevision: toNumber(row.blocked_terms_revision),
      slowModeSeconds: toNumber(row.slow_mode_seconds),
    });
    const inWindow = toNumber(row.in_window ?? 0);
    const authorId = toNumber(row.req_author_id);
    states.set(pairKey(toNumber(row.id), authorId), {
      authorId,
      access: toAccess(row),
      recent: {
        inWindow,
        oldestAge: inWindow === 0 || row.oldest_age === null ? null : Number(row.oldest_age),
        lastAge: row.last_age === null ? null : Number(row.last_age),
      },
      usedClientIds: textArray(row.used_client_ids),
    });
  }
  return states;
}

/** A text[] column: node-pg parses it to an array, PGlite may hand back the literal. */
function textArray(value: string[] | string | null): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',');
}

/** The messages of earlier sends with these (author, clientId) pairs: a retry returns the first one. */
async function readExisting(tx: Executor, keys: { author_id: number; client_id: string }[]) {
  if (keys.length === 0) return new Map<string, MessageRow>();
  const found = await rows<MessageRow>(
    tx,
    sql`select ${sql.raw(MESSAGE_COLUMNS)} from chat_messages m join users u on u.id = m.author_id
        where (m.author_id, m.client_id) in (
          select author_id, client_id
          from json_to_recordset(${JSON.stringify(keys)}::json) as x(author_id bigint, client_id uuid))`,
  );
  return new Map(found.map((row) => [sendKey(toNumber(row.author_id), row.client_id), row]));
}

/** The lives of the messages that the batch's replies answer: id → post id (a missing id has no entry). */
async function readReplyParents(tx: Executor, requests: SendRequest[]): Promise<Map<number, number>> {
  const ids = [...new Set(requests.flatMap(({ input }) => (input.replyTo ? [input.replyTo] : [])))];
  if (ids.length === 0) return new Map();
  const found = await rows<{ id: unknown; post_id: unknown }>(
    tx,
    sql`select id, post_id from chat_messages where id = any(${`{${ids.join(',')}}`}::bigint[])`,
  );
  return new Map(found.map((row) => [toNumber(row.id), toNumber(row.post_id)]));
}

type Insert = { index: number; request: SendRequest; content: string; held: boolean; reader: Reader };

/**
 * One multi-row insert in request order (ids and versions from their sequences, increasing in that order) and
 * one kept-count update per live. The count goes to one shard per batch, chosen at random: concurrent batches
 * of other processes rarely meet on one row, and one batch touches one row per live.
 */
function insertSql(inserts: Insert[]): string {
  const values = inserts.map((item, ord) => ({
    ord,
    post_id: item.request.input.postId,
    author_id: item.request.actor.id,
    client_id: item.request.input.clientId,
    content: item.content,
    held: item.held,
    type: item.request.input.type ?? 'text',
    reply_to: item.request.input.replyTo ?? null,
  }));
  const shard = Math.floor(Math.random() * COUNTER_SHARDS);
  return `with x as (
      select * from json_to_recordset(${jsonLiteral(values)})
        as x(ord int, post_id bigint, author_id bigint, client_id uuid, content text, held boolean, type text,
             reply_to bigint)
    ), m as (
      insert into chat_messages (post_id, author_id, client_id, content, held, type, reply_to_id)
      select post_id, author_id, client_id, content, held, type, reply_to from x order by ord
      returning *
    ), c as (
      insert into post_counters (post_id, shard, visible, listed)
      select post_id, ${shard}, count(*) filter (where not held), count(*) from m group by post_id order by post_id
      on conflict (post_id, shard) do update
        set visible = post_counters.visible + excluded.visible, listed = post_counters.listed + excluded.listed
    )
    select * from m`;
}

type BatchPlan = SendPlan<MessageRow> & {
  inserts: Insert[];
  /** Requests that repeat an accepted clientId of this batch: they get that message (index into inserts). */
  repeats: { index: number; insert: number }[];
};

/** One notice per live, for its highest version in the batch (readers read everything up to it). */
function noticesOf(written: MessageRow[]): ChangeNotice[] {
  const highest = new Map<number, number>();
  for (const row of written) {
    const postId = toNumber(row.post_id);
    highest.set(postId, Math.max(highest.get(postId) ?? 0, toNumber(row.version)));
  }
  return [...highest].map(([postId, version]) => ({ postId, version }));
}

/**
 * Writes a batch of sends together: each request is checked as if it were sent alone, in order (a refusal
 * touches nothing and does not fail the others), the accepted ones are inserted together, and each live gets
 * one change notice, for the highest version of the batch. Usually ONE transaction in one round trip (the fast
 * path, send-fast-path.ts); what it leaves takes a second one (the full path). Throws when the first
 * transaction fails: then nothing of the batch was written.
 */
export async function writeSendBatch(env: DomainEnv, requests: SendRequest[]): Promise<SendOutcome[]> {
  const outcomes: (SendOutcome | undefined)[] = requests.map(() => undefined);
  const contents: string[] = [];
  let valid: number[] = [];
  requests.forEach((request, index) => {
    try {
      contents[index] = checkSendInput(request.input);
      valid.push(index);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      outcomes[index] = { refusal: error };
    }
  });
  if (valid.length === 0) return outcomes as SendOutcome[];
  const fast = await writeFastPath(
    env,
    valid.map((index) => {
      const { actor, input } = requests[index]!;
      const { first_name, last_name, profile_picture } = actor;
      const author = { first_name, last_name, profile_picture };
      const { postId, clientId, type, replyTo } = input;
      return {
        index,
        postId,
        authorId: actor.id,
        clientId,
        content: contents[index]!,
        type: type ?? 'text',
        replyTo: replyTo ?? null,
        actor: author,
      };
    }),
    LOCK_NAMESPACE_AUTHOR,
    Math.floor(Math.random() * COUNTER_SHARDS),
  );
  const fastWritten = fast?.written ?? [];
  if (fast) {
    for (const [index, message] of fast.messages) outcomes[index] = { message };
    valid = valid.filter((index) => !fast.messages.has(index));
    if (valid.length === 0) {
      for (const notice of noticesOf(fastWritten)) env.fanout.announce?.(notice);
      return outcomes as SendOutcome[];
    }
  }

  let written: MessageRow[] = [];
  try {
    written = await writeFullPath(env, requests, valid, contents, outcomes);
  } catch (error) {
    // Nothing of the full path was written. Without a fast path before it, that is the whole batch: the
    // batcher gives every sender the error. Otherwise the fast path's messages are committed: their senders
    // get them, the others the error.
    if (!fast) throw error;
    for (const index of valid) outcomes[index] = { error };
  }
  // After the commit: see announcer.ts for why the hot path does not NOTIFY inside its transaction.
  // One notice per live for the whole batch, fast path included (it runs only with an announcer).
  if (env.fanout.announce)
    for (const notice of noticesOf([...fastWritten, ...written])) env.fanout.announce(notice);
  return outcomes as SendOutcome[];
}

/**
 * The full path, for what the fast path left (refusals, retries, slow mode, ...) or for everything without
 * it: reads every (live, author) pair, decides per request in order, writes the accepted ones. Fills
 * `outcomes` for `valid`; returns the written rows.
 */
async function writeFullPath(
  env: DomainEnv,
  requests: SendRequest[],
  valid: number[],
  contents: string[],
  outcomes: (SendOutcome | undefined)[],
): Promise<MessageRow[]> {
  const batch = valid.map((index) => requests[index]!);
  // One author's sends are serialised across batches and processes by a lock on the author, so that the
  // idempotency check, slow mode and the rate limit hold under concurrency.
  const authors = batch.map(({ actor }) => actor.id);
  const lock = { namespace: LOCK_NAMESPACE_AUTHOR, keys: authors };
  const { plan, written } = await inSendTransaction<PairRow, MessageRow, BatchPlan>(
    env,
    lock,
    pairsSql(env, batch),
    async (found, tx) => {
      const pairs = pairStates(env, found);
      const used = [...pairs.values()].flatMap((pair) =>
        pair.usedClientIds.map((clientId) => ({ author_id: pair.authorId, client_id: clientId })),
      );
      const existing = await readExisting(tx, used);
      const parents = await readReplyParents(tx, batch);
      const inserts: Insert[] = [];
      /** Requests that repeat an accepted clientId of this batch get that message: key → index into inserts. */
      const planned = new Map<string, number>();
      const repeats: { index: number; insert: number }[] = [];
      for (const index of valid) {
        const request = requests[index]!;
        const { actor, input } = request;
        try {
          const pair = pairs.get(pairKey(input.postId, actor.id));
          if (!pair) refuse('not_found', LIVE_NOT_FOUND);
          const key = sendKey(actor.id, input.clientId);
          const earlier = existing.get(key);
          const plannedAt = planned.get(key);
          const earlierPost = earlier
            ? toNumber(earlier.post_id)
            : plannedAt === undefined
              ? undefined
              : inserts[plannedAt]!.request.input.postId;
          if (earlierPost !== undefined && earlierPost !== input.postId)
            refuse('invalid_input', 'This clientId was already used for a message on another live.', {
              errors: { clientId: ['Already used on another live.'] },
            });
          if (earlier) {
            outcomes[index] = { message: toMessage(earlier, readerOf(actor, pair.access)) };
            continue;
          }
          if (plannedAt !== undefined) {
            repeats.push({ index, insert: plannedAt });
            continue;
          }
          checkMayPost(env, pair.access, pair.recent);
          checkReplyParent(input.replyTo, input.postId, parents);
          // Blocked terms hold a viewer's message for review; the staff's own messages are never held.
          const revision = toNumber(pair.access.live.blocked_terms_revision);
          const held =
            !pair.access.staff &&
            (await blockedTermsMatcher(env, tx, input.postId, revision)).blocks(contents[index]!);
          recordSend(pair.recent);
          planned.set(key, inserts.length);
          inserts.push({
            index,
            request,
            content: contents[index]!,
            held,
            reader: readerOf(actor, pair.access),
          });
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          outcomes[index] = { refusal: error };
        }
      }
      return {
        inserts,
        repeats,
        write: inserts.length === 0 ? null : insertSql(inserts),
        // Without an announcer (tools, some tests) the notices go out with the commit.
        beforeCommit: env.fanout.announce
          ? undefined
          : async (rows: MessageRow[], tx: Executor) => {
              for (const notice of noticesOf(rows)) await env.fanout.publish(tx, notice);
            },
      };
    },
  );
  const byKey = new Map(written.map((row) => [sendKey(toNumber(row.author_id), row.client_id), row]));
  const messages = plan.inserts.map(({ index, request: { actor, input }, reader }) => {
    const row = byKey.get(sendKey(actor.id, input.clientId))!;
    const author = {
      first_name: actor.first_name,
      last_name: actor.last_name,
      profile_picture: actor.profile_picture,
    };
    const message = toMessage({ ...row, ...author }, reader);
    outcomes[index] = { message };
    return message;
  });
  for (const { index, insert } of plan.repeats) outcomes[index] = { message: messages[insert]! };
  return written;
}
