import { sql } from 'drizzle-orm';
import type { Author, PullColumnsPage } from '../../shared/wire';
import { firstRow, rows, toNumber } from '../db/sql';
import { loadLiveAccess } from './access';
import type { Actor, DomainEnv } from './env';
import { safeHorizon } from './horizon';
import type { StoredReaction } from '../db/schema';
import { toLive, toReactions } from './mappers';

export type PullColumnsInput = {
  postId: number;
  cursor: number;
  limit?: number | undefined;
  withTotal?: boolean | undefined;
};

/** One message as the lean query returns it: numbers already numbers, the time already ISO text. */
type LeanRow = {
  id: number;
  version: number;
  client_id: string;
  /** The reader may read its text and reactions (mappers.ts `isReadable`, as SQL). */
  readable: boolean;
  content: string;
  created_at: string;
  author_id: number;
  flags: number;
  reply_to: number | null;
  reactions: StoredReaction[] | string;
};

/**
 * `chat.pull` for bulk syncs (wire: pullColumnsPageSchema): the same changes after `cursor` up to the safe
 * horizon, in version order, with the same cursor rule (it covers exactly what was returned), but read and sent
 * lean. Postgres does the per-row work the driver would otherwise do in JavaScript: bigints come as float8
 * (ids stay far below 2^53), the time as ISO text (no Date per row), the markers as one integer, and whether the
 * reader may read the row (mappers.ts `isReadable`: staff, or not hidden and not held, or held for its own
 * author; never deleted) as one boolean. Authors are read once per page.
 */
export async function pullColumns(
  env: DomainEnv,
  actor: Actor | null,
  input: PullColumnsInput,
): Promise<PullColumnsPage> {
  // The live's row is read after the horizon, so its version is settled too (as chat.pull does): one read
  // serves both the access check and the page's live event.
  const horizon = await safeHorizon(env);
  const access = await loadLiveAccess(env.db, input.postId, actor);
  const postId = toNumber(access.live.id);
  const limit = input.limit ?? 5000;
  const userId = actor?.id ?? null;
  const found = await rows<LeanRow>(
    env.db,
    sql`select m.id::float8 as id, m.version::float8 as version, m.client_id::text as client_id,
          not m.deleted and (${access.staff}::boolean
            or (not m.hidden and (not m.held or m.author_id = ${userId}::bigint))) as readable,
          m.content,
          to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
          m.author_id::float8 as author_id,
          (case when m.hidden then 1 else 0 end) + (case when m.deleted then 2 else 0 end)
            + (case when m.held then 4 else 0 end) + (case when m.type = 'emoji' then 8 else 0 end) as flags,
          m.reply_to_id::float8 as reply_to,
          m.reactions
        from chat_messages m
        where m.post_id = ${postId} and m.version > ${input.cursor} and m.version <= ${horizon}
        order by m.version limit ${limit + 1}`,
  );
  const hasMore = found.length > limit;
  const n = hasMore ? limit : found.length;
  const cursor = hasMore ? toNumber(found[n - 1]!.version) : Math.max(input.cursor, horizon);
  const messages: PullColumnsPage['messages'] = {
    id: new Array(n),
    version: new Array(n),
    client_id: new Array(n),
    content: new Array(n),
    created_at: new Array(n),
    author_id: new Array(n),
    flags: new Array(n),
    reply_to: new Array(n),
    reactions: new Array(n),
  };
  const authorIds = new Set<number>();
  for (let i = 0; i < n; i++) {
    const row = found[i]!;
    // PGlite and pg both return float8 as a number and int as a number; toNumber guards any driver that does not.
    messages.id[i] = toNumber(row.id);
    messages.version[i] = toNumber(row.version);
    messages.client_id[i] = row.client_id;
    messages.content[i] = row.readable ? row.content : '';
    messages.created_at[i] = row.created_at;
    messages.author_id[i] = toNumber(row.author_id);
    messages.flags[i] = toNumber(row.flags);
    messages.reply_to![i] = row.reply_to === null ? null : toNumber(row.reply_to);
    messages.reactions![i] = toReactions(row.reactions, userId, row.readable);
    authorIds.add(messages.author_id[i]!);
  }
  const live = access.live;
  const liveVersion = toNumber(live.version);
  return {
    cursor,
    hasMore,
    total:
      input.withTotal === false ? null : await countLeft(env, postId, input.cursor, horizon, liveVersion),
    messages,
    authors: await readAuthors(env, authorIds),
    live:
      liveVersion > input.cursor && liveVersion <= cursor
        ? { version: liveVersion, live: toLive(live) }
        : null,
  };
}

async function readAuthors(env: DomainEnv, ids: Set<number>): Promise<Author[]> {
  if (ids.size === 0) return [];
  // One array literal as one text parameter: drizzle would expand a JS array into a list of parameters.
  const found = await rows<{
    id: unknown;
    first_name: string;
    last_name: string;
    profile_picture: string | null;
  }>(
    env.db,
    sql`select id, first_name, last_name, profile_picture from users
        where id = any(${`{${[...ids].join(',')}}`}::bigint[])`,
  );
  return found.map((row) => ({
    id: toNumber(row.id),
    first_name: row.first_name,
    last_name: row.last_name,
    profile_picture: row.profile_picture,
  }));
}

/** Changes left after `cursor` (messages and the live's own row): the progress total of a sync's first page. */
async function countLeft(
  env: DomainEnv,
  postId: number,
  cursor: number,
  horizon: number,
  liveVersion: number,
) {
  const remaining = await firstRow<{ n: unknown }>(
    env.db,
    sql`select count(*) as n from chat_messages where post_id = ${postId} and version > ${cursor}
          and version <= ${horizon}`,
  );
  return toNumber(remaining!.n) + (liveVersion > cursor && liveVersion <= horizon ? 1 : 0);
}
