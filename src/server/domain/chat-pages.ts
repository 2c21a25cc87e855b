import type pg from 'pg';
import type { MessageType, RestMessage } from '../../shared/wire';
import type { StoredReaction } from '../db/schema';
import { type Executor, postgresPoolOf, toIso, toNumber } from '../db/sql';
import { toReactions } from './mappers';
import type { Actor, DomainEnv } from './env';
import { LIVE_NOT_FOUND, refuse } from './refusal';

export type MessagePageRequest = {
  postId: number;
  /** 1-based page number, or 'last'. */
  page: number | 'last';
  size: number;
  /** Keyset hints carried by our own next/previous links: the page starts after / ends before this id. */
  after?: number | null;
  before?: number | null;
};

export type MessagePage = { count: number; page: number; lastPage: number; messages: RestMessage[] };

export type PageRow = {
  id: unknown;
  author_id: unknown;
  content: string;
  created_at: unknown;
  type: MessageType;
  reply_to_id: unknown;
  reactions: StoredReaction[] | string;
  first_name: string;
  last_name: string;
  profile_picture: string | null;
};

/**
 * Only what the REST API shows. No text is ever blanked on a page: viewers' filter leaves out every hidden, held
 * and deleted message, and staff's leaves out deleted ones only (staff read hidden and held text).
 */
export const PAGE_COLUMNS =
  'm.id, m.author_id, m.content, m.created_at, m.type, m.reply_to_id, m.reactions, u.first_name, u.last_name, u.profile_picture';

/** A page's row for its reader (`readerId`: whose reactions are `mine`); every row of a page is readable. */
export function toRestMessage(row: PageRow, readerId: number): RestMessage {
  return {
    id: toNumber(row.id),
    content: row.content,
    timestamp: toIso(row.created_at)!,
    author: {
      id: toNumber(row.author_id),
      first_name: row.first_name,
      last_name: row.last_name,
      profile_picture: row.profile_picture,
    },
    type: row.type,
    reply_to: row.reply_to_id === null ? null : toNumber(row.reply_to_id),
    reactions: toReactions(row.reactions, readerId, true),
  };
}

/**
 * A statement Postgres parses and plans once per pooled connection (pg's named statements): on a page read
 * the planning of a small join costs about as much as running it. PGlite (embedded, one user) runs it as is.
 */
export type Statement = { name: string; text: string };

export async function run<T>(db: Executor, statement: Statement, values: unknown[]): Promise<T[]> {
  const pool = postgresPoolOf(db);
  if (pool) return (await pool.query<T & pg.QueryResultRow>({ ...statement, values })).rows;
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client && typeof (client as { query?: unknown }).query === 'function')
    return (
      await (client as { query(text: string, values: unknown[]): Promise<{ rows: T[] }> }).query(
        statement.text,
        values,
      )
    ).rows;
  throw new Error('chat pages need the database itself, not a transaction');
}

/**
 * What a page needs to know about the live and the caller, in one statement: the live exists (else 404), the
 * caller is staff on it (host or moderator: they see hidden and held messages), and its kept counts.
 */
export const LIVE_FOR_PAGE: Statement = {
  name: 'chat_page_live',
  text: `select p.host_id,
      exists(select 1 from live_roles r where r.post_id = p.id and r.user_id = $2) as is_moderator,
      k.visible, k.listed
    from posts p
    cross join lateral (
      select coalesce(sum(c.visible), 0) as visible, coalesce(sum(c.listed), 0) as listed
      from post_counters c where c.post_id = p.id
    ) k
    where p.id = $1`,
};

// Each filter matches one partial index exactly (see chat_messages' indexes).
export const FILTERS = {
  staff: 'not m.deleted',
  viewer: 'not m.hidden and not m.deleted and not m.held',
} as const;
export type Audience = keyof typeof FILTERS;
type Shape = 'after' | 'before' | 'head' | 'tail';

/** The page statements: by keyset hint (after/before an id), or by position from the nearer end (head/tail). */
function pageStatement(audience: Audience, shape: Shape): Statement {
  const from = `from chat_messages m join users u on u.id = m.author_id where m.post_id = $1 and ${FILTERS[audience]}`;
  const text = {
    after: `select ${PAGE_COLUMNS} ${from} and m.id > $2 order by m.id limit $3`,
    before: `select ${PAGE_COLUMNS} ${from} and m.id < $2 order by m.id desc limit $3`,
    head: `select ${PAGE_COLUMNS} ${from} order by m.id limit $2 offset $3`,
    tail: `select ${PAGE_COLUMNS} ${from} order by m.id desc limit $2 offset $3`,
  }[shape];
  return { name: `chat_page_${audience}_${shape}`, text };
}

const PAGE_STATEMENTS = Object.fromEntries(
  (['staff', 'viewer'] as const).flatMap((audience) =>
    (['after', 'before', 'head', 'tail'] as const).map((shape) => [
      `${audience}:${shape}`,
      pageStatement(audience, shape),
    ]),
  ),
) as Record<`${Audience}:${Shape}`, Statement>;

/**
 * One page of a live's chat, oldest first, as DRF's PageNumberPagination numbers it — without its cost. The
 * count is kept (post_counters) instead of a count(*) per request; a page reached through our next/previous
 * links is a keyset read (`id > after`, an index range), and a page jumped to by number is read from the
 * nearer end of the index, so the first and the last page are both cheap on a live of 100,000 messages.
 * Two statements per page, both prepared: the live with the caller's role and the counts, then the rows.
 */
export async function pageMessages(
  env: DomainEnv,
  actor: Actor,
  request: MessagePageRequest,
): Promise<MessagePage> {
  const [live] = await run<{ host_id: unknown; is_moderator: boolean; visible: unknown; listed: unknown }>(
    env.db,
    LIVE_FOR_PAGE,
    [request.postId, actor.id],
  );
  if (!live) refuse('not_found', LIVE_NOT_FOUND);
  const staff = toNumber(live.host_id) === actor.id || live.is_moderator;
  const audience: Audience = staff ? 'staff' : 'viewer';
  const count = toNumber(staff ? live.listed : live.visible);
  const lastPage = Math.max(1, Math.ceil(count / request.size));
  const page = request.page === 'last' ? lastPage : request.page;
  if (page > lastPage) refuse('not_found', 'Invalid page.');
  const offset = (page - 1) * request.size;
  const take = Math.min(request.size, count - offset);
  const read = (shape: Shape, values: unknown[]) =>
    run<PageRow>(env.db, PAGE_STATEMENTS[`${audience}:${shape}`], [request.postId, ...values]);
  let found: PageRow[];
  if (take <= 0) found = [];
  else if (request.after) found = await read('after', [request.after, request.size]);
  else if (request.before) found = (await read('before', [request.before, request.size])).reverse();
  else if (offset <= count - offset - take) found = await read('head', [take, offset]);
  else found = (await read('tail', [take, count - offset - take])).reverse();
  return { count, page, lastPage, messages: found.map((row) => toRestMessage(row, actor.id)) };
}
