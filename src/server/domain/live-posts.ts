import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Live } from '../../shared/wire';
import { rows, toIso, toNumber } from '../db/sql';
import type { Actor, DomainEnv } from './env';
import { createLive, endLive, startLive } from './lives';
import { LIVE_COLUMNS, type LiveRow, toLive } from './mappers';

/**
 * Lives as CommuniConnect's feed knows them: posts with `is_live_post`. Every post of this server is a live,
 * of the feed's `info` type (the one its web client asks for), so other types and `is_live_post=false` are
 * empty pages, not errors.
 */
export type LivePost = Live & {
  content: string;
  author: Live['host'];
  is_live_post: true;
  type: 'info';
  created_at: string;
  live_status: Live['status'];
};

export type VideoData = {
  url?: string | undefined;
  duration?: number | undefined;
  size?: number | undefined;
};

type PostRow = LiveRow & { content: string; created_at: unknown };

function toLivePost(row: PostRow): LivePost {
  const live = toLive(row);
  return {
    ...live,
    content: row.content || live.title,
    author: live.host,
    is_live_post: true,
    type: 'info',
    created_at: toIso(row.created_at)!,
    live_status: live.status,
  };
}

/** The feed's page of live posts, newest first (DRF's PageNumberPagination numbers it in the route). */
export async function pageLivePosts(
  env: DomainEnv,
  offset: number,
  limit: number,
): Promise<{ count: number; posts: LivePost[] }> {
  const [counted] = await rows<{ n: unknown }>(env.db, sql`select count(*) as n from posts`);
  const found = await rows<PostRow>(
    env.db,
    sql`select ${sql.raw(LIVE_COLUMNS)}, p.content, p.created_at from posts p join users h on h.id = p.host_id
        order by p.id desc limit ${limit} offset ${offset}`,
  );
  return { count: toNumber(counted!.n), posts: found.map(toLivePost) };
}

export type GoLiveInput = { content: string; title: string; description: string };

/** The web client's "Démarrer le live": a new live post, started at once, with the stream key it reads. */
export async function goLive(env: DomainEnv, actor: Actor, input: GoLiveInput) {
  const created = await createLive(env, actor, { title: input.title, description: input.description });
  const streamKey = randomBytes(16).toString('hex');
  await env.db.execute(
    sql`update posts set content = ${input.content}, stream_key = ${streamKey} where id = ${created.id}`,
  );
  const live = await startLive(env, actor, created.id);
  return { live, streamKey };
}

/** The web client's stop: ends the live (the host's right), then keeps what it said of its recording. */
export async function stopLive(env: DomainEnv, actor: Actor, postId: number, video: VideoData | undefined) {
  const live = await endLive(env, actor, postId);
  if (video)
    await env.db.execute(
      sql`update posts set video_data = ${JSON.stringify(video)}::jsonb where id = ${postId}`,
    );
  return live;
}
