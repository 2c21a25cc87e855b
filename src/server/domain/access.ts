import { sql } from 'drizzle-orm';
import { firstRow, toIso, type Executor } from '../db/sql';
import type { Actor } from './env';
import { LIVE_COLUMNS, type LiveRow } from './mappers';
import { LIVE_NOT_FOUND, refuse } from './refusal';

export type LiveRole = 'host' | 'moderator' | 'viewer';

/** A live as seen by one caller: the live, the caller's role on it, and whether they may write in its chat. */
export type LiveAccess = {
  live: LiveRow;
  role: LiveRole;
  staff: boolean;
  /** A ban (no end) or a timeout (with its end) in force for the caller, else null. */
  restriction: { until: string | null; retryAfterSeconds: number } | null;
};

/** A live row with the caller's role and restriction columns, as loadLiveAccess and the send batch read them. */
export type AccessRow = LiveRow & {
  is_moderator: boolean;
  ban_active: boolean;
  ban_expires_at: unknown;
  ban_seconds_left: unknown;
};

/** Loads a live and the caller's rights on it in one query; an unknown live is a 404 for everyone. */
export async function loadLiveAccess(db: Executor, postId: number, actor: Actor | null): Promise<LiveAccess> {
  const userId = actor?.id ?? 0;
  const row = await firstRow<AccessRow>(
    db,
    sql`select ${sql.raw(LIVE_COLUMNS)},
          exists(select 1 from live_roles r where r.post_id = p.id and r.user_id = ${userId}) as is_moderator,
          (b.user_id is not null and (b.expires_at is null or b.expires_at > now())) as ban_active,
          b.expires_at as ban_expires_at,
          ceil(extract(epoch from b.expires_at - now())) as ban_seconds_left
        from posts p
        join users h on h.id = p.host_id
        left join live_bans b on b.post_id = p.id and b.user_id = ${userId}
        where p.id = ${postId}`,
  );
  if (!row) refuse('not_found', LIVE_NOT_FOUND);
  return accessFromRow(row, userId);
}

/** One caller's rights from an AccessRow (the caller's id: 0 for anonymous, never a host). */
export function accessFromRow(row: AccessRow, userId: number): LiveAccess {
  const role: LiveRole = Number(row.host_id) === userId ? 'host' : row.is_moderator ? 'moderator' : 'viewer';
  return {
    live: row,
    role,
    staff: role !== 'viewer',
    restriction: row.ban_active
      ? {
          until: toIso(row.ban_expires_at),
          retryAfterSeconds: row.ban_expires_at === null ? 0 : Math.max(1, Number(row.ban_seconds_left)),
        }
      : null,
  };
}

export function requireStaff(access: LiveAccess) {
  if (!access.staff) refuse('forbidden', 'Only the host and the moderators of this live may do this.');
}

export function requireHost(access: LiveAccess) {
  if (access.role !== 'host') refuse('forbidden', 'Only the host of this live may do this.');
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) refuse('unauthenticated', 'Authentication credentials were not provided or are invalid.');
  return actor;
}
