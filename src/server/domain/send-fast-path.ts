import type { Message } from '../../shared/wire';
import { postgresPoolOf, toNumber } from '../db/sql';
import { blockedTermsMatcher } from './blocked-terms';
import type { DomainEnv } from './env';
import { LruMap } from './lru';
import { type MessageRow, toMessage } from './mappers';
import { inOneShotTransaction, jsonLiteral } from './send-transaction';

/**
 * The send batch's fast path: ONE round trip for the common case, where every check passes. A single
 * statement (after the author locks) inserts the messages that certainly pass every rule — live open, no ban
 * or timeout, clientId new, a reply's parent on the same live, rate limit not reached, no slow mode and no
 * blocked-terms list changed since we last saw it (staff: neither applies) — and leaves the others alone.
 * Those go through the full path (send-batch.ts), which reads, decides per message in order and refuses with the reason: the fast path
 * never refuses, so it only needs to be cautious, never complete.
 */

/** Messages written by the fast path since the process started (tests and diagnostics: is it taken?). */
export const fastPathStats = { written: 0 };

/**
 * What the full path last saw of a live, to predict whether its sends can take the fast path. At most
 * `limits.cachedLives` lives per database, least recently sent-to forgotten first. A live without a hint is
 * tried as one without a list or slow mode; the statement checks both, so a live that has either sends its
 * messages to the full path once, which remembers it again.
 */
type LiveHint = { blockedTermsRevision: number; slowModeSeconds: number };
const hints = new WeakMap<object, LruMap<number, LiveHint>>();

function hintsOf(env: DomainEnv): LruMap<number, LiveHint> {
  let perLive = hints.get(env.db);
  if (!perLive) {
    perLive = new LruMap(env.limits.cachedLives);
    hints.set(env.db, perLive);
  }
  return perLive;
}

/** How many lives' hints this database's cache holds (tests: the bound holds). */
export const cachedHintCount = (env: DomainEnv): number => hints.get(env.db)?.size ?? 0;

/** Called by the full path with each live it read. */
export function rememberLive(env: DomainEnv, postId: number, hint: LiveHint): void {
  hintsOf(env).set(postId, hint);
}

export type FastRequest = {
  index: number;
  postId: number;
  authorId: number;
  clientId: string;
  content: string;
  type: 'text' | 'emoji';
  replyTo: number | null;
  actor: { first_name: string; last_name: string; profile_picture: string | null };
};

/**
 * Writes what it can of `requests` in one transaction and returns the messages by request index; the
 * requests missing from the result were not written. Null when the fast path does not apply (not a Postgres
 * pool, no announcer: the full path publishes inside its transaction).
 */
export async function writeFastPath(
  env: DomainEnv,
  requests: FastRequest[],
  lockNamespace: number,
  shard: number,
): Promise<{ messages: Map<number, Message>; written: MessageRow[] } | null> {
  // One round trip needs a Postgres pool (PGlite takes the full path), and an announcer to notify after commit.
  if (!env.fanout.announce || !postgresPoolOf(env.db)) return null;
  const perLive = hintsOf(env);
  const seen = new Set<string>();
  // A clientId repeated in the batch must go to the full path (the first row wins), and with it every other
  // send of that author on that live: a (live, author) pair is written by one path or the other, never split,
  // so that its messages keep their order (versions, and which one the rate limit refuses).
  const fullPathPairs = new Set<string>();
  for (const request of requests) {
    const key = `${request.authorId}:${request.clientId.toLowerCase()}`;
    if (seen.has(key)) fullPathPairs.add(`${request.postId}:${request.authorId}`);
    seen.add(key);
  }
  const values = [];
  for (const request of requests) {
    const hint = perLive.get(request.postId);
    // Slow mode needs the author's last message (full path).
    if ((hint?.slowModeSeconds ?? 0) > 0) continue;
    if (fullPathPairs.has(`${request.postId}:${request.authorId}`)) continue;
    const revision = hint?.blockedTermsRevision ?? 0;
    const matcher = await blockedTermsMatcher(env, env.db, request.postId, revision);
    values.push({
      ord: request.index,
      post_id: request.postId,
      author_id: request.authorId,
      client_id: request.clientId,
      content: request.content,
      type: request.type,
      reply_to: request.replyTo,
      revision,
      held_if_viewer: matcher.blocks(request.content),
    });
  }
  if (values.length === 0) return { messages: new Map(), written: [] };
  const window = Math.trunc(env.limits.rateWindowSeconds);
  const { rateViewer, ratePrivileged } = env.limits;
  const written = await inOneShotTransaction<MessageRow & { ord: unknown; staff: boolean }>(
    env,
    { namespace: lockNamespace, keys: requests.map((request) => request.authorId) },
    `with x as (
        select * from json_to_recordset(${jsonLiteral(values)}) as x(ord int, post_id bigint, author_id bigint,
          client_id uuid, content text, type text, reply_to bigint, revision int, held_if_viewer boolean)
      ), per_pair as (
        select post_id, author_id, count(*) as n from x group by post_id, author_id
      ), checked as (
        select x.*, pp.n, p.status, p.slow_mode_seconds, p.blocked_terms_revision,
          (p.host_id = x.author_id
            or exists(select 1 from live_roles r where r.post_id = p.id and r.user_id = x.author_id)) as staff
        from x
        join posts p on p.id = x.post_id
        join per_pair pp on pp.post_id = x.post_id and pp.author_id = x.author_id
      ), ok as (
        select c.* from checked c
        where c.status = 'live'
          and (c.staff or (c.slow_mode_seconds = 0 and c.blocked_terms_revision = c.revision))
          and not exists(select 1 from live_bans b where b.post_id = c.post_id and b.user_id = c.author_id
                           and (b.expires_at is null or b.expires_at > now()))
          and not exists(select 1 from chat_messages e where e.author_id = c.author_id and e.client_id = c.client_id)
          and (c.reply_to is null
               or exists(select 1 from chat_messages pm where pm.id = c.reply_to and pm.post_id = c.post_id))
          and c.n + (select count(*) from chat_messages r
                     where r.post_id = c.post_id and r.author_id = c.author_id
                       and r.created_at > now() - make_interval(secs => ${window}))
              <= case when c.staff then ${Math.trunc(ratePrivileged)} else ${Math.trunc(rateViewer)} end
      ), m as (
        insert into chat_messages (post_id, author_id, client_id, content, held, type, reply_to_id)
        select post_id, author_id, client_id, content, not staff and held_if_viewer, type, reply_to
        from ok order by ord
        returning *
      ), c as (
        insert into post_counters (post_id, shard, visible, listed)
        select post_id, ${Math.trunc(shard)}, count(*) filter (where not held), count(*) from m
        group by post_id order by post_id
        on conflict (post_id, shard) do update
          set visible = post_counters.visible + excluded.visible, listed = post_counters.listed + excluded.listed
      )
      select m.*, ok.ord, ok.staff from m join ok on ok.author_id = m.author_id and ok.client_id = m.client_id`,
  );
  if (!written) return null;
  fastPathStats.written += written.length;
  const byIndex = new Map(requests.map((request) => [request.index, request]));
  const messages = new Map<number, Message>();
  for (const row of written) {
    const index = toNumber(row.ord);
    const request = byIndex.get(index)!;
    messages.set(
      index,
      toMessage({ ...row, ...request.actor }, { userId: request.authorId, staff: row.staff }),
    );
  }
  return { messages, written };
}
