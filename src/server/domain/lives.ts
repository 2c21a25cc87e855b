import { sql } from 'drizzle-orm';
import type { CreateLiveInput, Live, LiveStatus } from '../../shared/wire';
import { firstRow, rows, toNumber } from '../db/sql';
import { loadLiveAccess, requireHost, type LiveRole } from './access';
import type { Actor, DomainEnv } from './env';
import { LIVE_COLUMNS, toLive, type LiveRow } from './mappers';
import { refuse } from './refusal';
import { inVersionedWrite } from './write';

const LIST_LIMIT = 100;

export async function createLive(env: DomainEnv, actor: Actor, input: CreateLiveInput): Promise<Live> {
  const [created] = await rows<{ id: unknown }>(
    env.db,
    sql`insert into posts (host_id, title, description) values (${actor.id}, ${input.title}, ${input.description})
        returning id`,
  );
  return getLive(env, actor, toNumber(created!.id));
}

export async function getLive(
  env: DomainEnv,
  actor: Actor,
  postId: number,
): Promise<Live & { role: LiveRole }> {
  const access = await loadLiveAccess(env.db, postId, actor);
  return { ...toLive(access.live), role: access.role };
}

async function transition(env: DomainEnv, actor: Actor, postId: number, to: 'live' | 'ended'): Promise<Live> {
  return inVersionedWrite(env, async (tx) => {
    const access = await loadLiveAccess(tx, postId, actor);
    requireHost(access);
    const from = access.live.status;
    if (from === to) return toLive(access.live);
    if (from === 'ended') refuse('live_not_open', 'This live has ended.');
    const row = await firstRow<{ version: unknown }>(
      tx,
      to === 'live'
        ? sql`update posts set status = 'live', started_at = now(), version = nextval('chat_version_seq')
              where id = ${postId} returning version`
        : sql`update posts set status = 'ended', ended_at = now(), version = nextval('chat_version_seq')
              where id = ${postId} returning version`,
    );
    await env.fanout.publish(tx, { postId, version: toNumber(row!.version) });
    return toLive((await loadLiveAccess(tx, postId, actor)).live);
  });
}

export const startLive = (env: DomainEnv, actor: Actor, postId: number) =>
  transition(env, actor, postId, 'live');
export const endLive = (env: DomainEnv, actor: Actor, postId: number) =>
  transition(env, actor, postId, 'ended');

export type ListLivesInput = { status?: LiveStatus | undefined; mine?: boolean | undefined };

/** Newest first; `mine` = lives the caller hosts. */
export async function listLives(env: DomainEnv, actor: Actor, input: ListLivesInput): Promise<Live[]> {
  const found = await rows<LiveRow>(
    env.db,
    sql`select ${sql.raw(LIVE_COLUMNS)} from posts p join users h on h.id = p.host_id
        where (${input.status ?? null}::text is null or p.status = ${input.status ?? null})
          and (${input.mine ? actor.id : null}::bigint is null or p.host_id = ${input.mine ? actor.id : null})
        order by p.id desc limit ${LIST_LIMIT}`,
  );
  return found.map(toLive);
}

/** REST's paginated list (newest first), kept simple: lives are few next to messages. */
export async function pageLives(
  env: DomainEnv,
  status: LiveStatus | null,
  offset: number,
  limit: number,
): Promise<{ count: number; lives: Live[] }> {
  const [counted] = await rows<{ n: unknown }>(
    env.db,
    sql`select count(*) as n from posts p where (${status}::text is null or p.status = ${status})`,
  );
  const found = await rows<LiveRow>(
    env.db,
    sql`select ${sql.raw(LIVE_COLUMNS)} from posts p join users h on h.id = p.host_id
        where (${status}::text is null or p.status = ${status})
        order by p.id desc limit ${limit} offset ${offset}`,
  );
  return { count: toNumber(counted!.n), lives: found.map(toLive) };
}
