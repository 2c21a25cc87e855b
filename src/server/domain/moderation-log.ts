import { sql } from 'drizzle-orm';
import type { ModerationAction } from '../db/schema/index';
import { rows, toIso, toNumber, type Executor } from '../db/sql';
import { loadLiveAccess, requireStaff } from './access';
import type { Actor, DomainEnv } from './env';

type LogEntry = {
  postId: number;
  actorId: number;
  action: ModerationAction;
  targetUserId?: number | null;
  targetMessageId?: number | null;
  reason?: string | null | undefined;
  details?: Record<string, unknown>;
};

/** Appends one entry to the moderation log, inside the action's own transaction (both or neither). */
export async function writeLog(tx: Executor, entry: LogEntry) {
  await tx.execute(
    sql`insert into moderation_log (post_id, actor_id, action, target_user_id, target_message_id, reason, details)
        values (${entry.postId}, ${entry.actorId}, ${entry.action}, ${entry.targetUserId ?? null},
                ${entry.targetMessageId ?? null}, ${entry.reason ?? null},
                ${entry.details ? JSON.stringify(entry.details) : null}::jsonb)`,
  );
}

export const MODERATION_LOG_PAGE_DEFAULT = 100;
export const MODERATION_LOG_PAGE_MAX = 500;

/** One entry as the staff read it: ids for the machines, names for the people. */
export type ModerationLogEntry = {
  id: number;
  action: ModerationAction;
  actor_id: number;
  actor_name: string;
  target_user_id: number | null;
  target_user_name: string | null;
  target_message_id: number | null;
  reason: string | null;
  details: Record<string, unknown> | null;
  created_at: string;
};

export type ModerationLogInput = {
  postId: number;
  beforeId?: number | undefined;
  limit?: number | undefined;
};

/** One page of a live's log, newest first, before `beforeId` (exclusive): page on with the last entry's id. */
export async function moderationLog(
  env: DomainEnv,
  actor: Actor,
  input: ModerationLogInput,
): Promise<ModerationLogEntry[]> {
  requireStaff(await loadLiveAccess(env.db, input.postId, actor));
  const limit = Math.min(input.limit ?? MODERATION_LOG_PAGE_DEFAULT, MODERATION_LOG_PAGE_MAX);
  const found = await rows<Record<string, unknown>>(
    env.db,
    sql`select l.id, l.action, l.actor_id, a.first_name || ' ' || a.last_name as actor_name,
          l.target_user_id, t.first_name || ' ' || t.last_name as target_user_name,
          l.target_message_id, l.reason, l.details, l.created_at
        from moderation_log l
        join users a on a.id = l.actor_id
        left join users t on t.id = l.target_user_id
        where l.post_id = ${input.postId}
          and (${input.beforeId ?? null}::bigint is null or l.id < ${input.beforeId ?? null})
        order by l.id desc limit ${limit}`,
  );
  return found.map((row) => ({
    id: toNumber(row.id),
    action: row.action as ModerationAction,
    actor_id: toNumber(row.actor_id),
    actor_name: String(row.actor_name),
    target_user_id: row.target_user_id === null ? null : toNumber(row.target_user_id),
    target_user_name: (row.target_user_name as string | null) ?? null,
    target_message_id: row.target_message_id === null ? null : toNumber(row.target_message_id),
    reason: (row.reason as string | null) ?? null,
    details: (row.details as Record<string, unknown> | null) ?? null,
    created_at: toIso(row.created_at)!,
  }));
}

/** Every entry of a live's log, oldest first, read page by page (the CSV export). */
export async function fullModerationLog(
  env: DomainEnv,
  actor: Actor,
  postId: number,
): Promise<ModerationLogEntry[]> {
  const pages: ModerationLogEntry[][] = [];
  let beforeId: number | undefined;
  for (;;) {
    const page = await moderationLog(env, actor, { postId, beforeId, limit: MODERATION_LOG_PAGE_MAX });
    pages.push(page);
    if (page.length < MODERATION_LOG_PAGE_MAX) break;
    beforeId = page[page.length - 1]!.id;
  }
  return pages.flat().reverse();
}
