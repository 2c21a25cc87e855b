import { sql } from 'drizzle-orm';
import { rows, toIso, toNumber } from '../db/sql';
import { loadLiveAccess, requireStaff } from './access';
import type { Actor, DomainEnv } from './env';

export type Restriction = {
  user: { id: number; first_name: string; last_name: string };
  kind: 'ban' | 'timeout';
  /** Null for a ban (no end). */
  until: string | null;
  reason: string | null;
  created_by: number;
  created_at: string;
};

/** The bans and timeouts in force on a live (ended timeouts are left out), newest first, for its staff. */
export async function liveRestrictions(
  env: DomainEnv,
  actor: Actor,
  input: { postId: number },
): Promise<Restriction[]> {
  requireStaff(await loadLiveAccess(env.db, input.postId, actor));
  const found = await rows<Record<string, unknown>>(
    env.db,
    sql`select b.user_id, u.first_name, u.last_name, b.expires_at, b.reason, b.created_by, b.created_at
        from live_bans b join users u on u.id = b.user_id
        where b.post_id = ${input.postId} and (b.expires_at is null or b.expires_at > now())
        order by b.created_at desc, b.user_id`,
  );
  return found.map((row) => ({
    user: {
      id: toNumber(row.user_id),
      first_name: String(row.first_name),
      last_name: String(row.last_name),
    },
    kind: row.expires_at === null ? 'ban' : 'timeout',
    until: toIso(row.expires_at),
    reason: (row.reason as string | null) ?? null,
    created_by: toNumber(row.created_by),
    created_at: toIso(row.created_at)!,
  }));
}
