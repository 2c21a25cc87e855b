import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { moderationOutbox } from './schema';

export type ModerationActionName = (typeof moderationOutbox.$inferSelect)['action'];
export const MESSAGE_ACTIONS = ['hide', 'unhide', 'delete'] as const;
export const USER_ACTIONS = ['ban', 'unban', 'timeout'] as const;

/** One queued or done action, as the renderer sees it. */
export type ModerationEntry = {
  seq: number;
  live_id: number;
  actor_id: number;
  action: ModerationActionName;
  message_id: number | null;
  message_client_id: string | null;
  user_id: number | null;
  seconds: number | null;
  reason: string | null;
  /** Sent with the action: the server applies it once per id (null only on rows queued before the column). */
  client_action_id: string | null;
  status: 'pending' | 'applied' | 'rejected';
  error: string | null;
  created_at: string;
  applied_at: string | null;
};

export type NewModerationEntry = {
  serverKey: string;
  liveId: number;
  actorId: number;
  action: ModerationActionName;
  messageId?: number | null;
  messageClientId?: string | null;
  userId?: number | null;
  seconds?: number | null;
  reason?: string | null;
};

const COLUMNS = `seq, live_id, actor_id, action, message_id, message_client_id, user_id, seconds, reason,
  client_action_id, status, error, created_at, applied_at`;

/** The moderation outbox over SQLite, prepared once (same pattern as the chat outbox in db/chat-cache.ts). */
export class ModerationOutbox {
  readonly #insert: Database.Statement;
  readonly #next: Database.Statement;
  readonly #settle: Database.Statement;
  readonly #forLive: Database.Statement;
  readonly #pendingCount: Database.Statement;
  readonly #giveActionId: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.#insert = sqlite.prepare(
      `insert into moderation_outbox (server_key, live_id, actor_id, action, message_id, message_client_id, user_id,
         seconds, reason, client_action_id, status, created_at)
       values (@serverKey, @liveId, @actorId, @action, @messageId, @messageClientId, @userId, @seconds, @reason,
         @clientActionId, 'pending', @createdAt)
       returning ${COLUMNS}`,
    );
    this.#next = sqlite.prepare(
      `select ${COLUMNS} from moderation_outbox where server_key = ? and actor_id = ? and status = 'pending'
       order by seq limit 1`,
    );
    // Only a pending row settles, once: a second answer for the same action changes nothing.
    this.#settle = sqlite.prepare(
      `update moderation_outbox set status = ?, error = ?, applied_at = ? where seq = ? and status = 'pending'
       returning ${COLUMNS}`,
    );
    this.#forLive = sqlite.prepare(
      `select ${COLUMNS} from moderation_outbox where server_key = ? and live_id = ? order by seq desc limit ?`,
    );
    this.#giveActionId = sqlite.prepare(
      `update moderation_outbox set client_action_id = ? where seq = ? and client_action_id is null
       returning ${COLUMNS}`,
    );
    this.#pendingCount = sqlite.prepare(
      `select count(*) as n from moderation_outbox where server_key = ? and status = 'pending'`,
    );
  }

  /** Durable before it returns (the host database runs synchronous=FULL): a queued action survives a crash. */
  add(entry: NewModerationEntry): ModerationEntry {
    return this.#insert.get({
      serverKey: entry.serverKey,
      liveId: entry.liveId,
      actorId: entry.actorId,
      action: entry.action,
      messageId: entry.messageId ?? null,
      messageClientId: entry.messageClientId ?? null,
      userId: entry.userId ?? null,
      seconds: entry.seconds ?? null,
      reason: entry.reason ?? null,
      // Given once, with the row: every send of this action (after a crash, a lost answer) carries the same id.
      clientActionId: randomUUID(),
      createdAt: new Date().toISOString(),
    }) as ModerationEntry;
  }

  /** The oldest pending action of this moderator on this server: actions apply in the order they were taken. */
  next(serverKey: string, actorId: number): ModerationEntry | null {
    return (this.#next.get(serverKey, actorId) as ModerationEntry | undefined) ?? null;
  }

  /**
   * The entry with its client action id: a row queued before the column existed gets one now, on disk, before
   * its first send — so that a resend of it carries the same id as the first.
   */
  withActionId(entry: ModerationEntry): ModerationEntry & { client_action_id: string } {
    if (entry.client_action_id !== null) return entry as ModerationEntry & { client_action_id: string };
    const given = this.#giveActionId.get(randomUUID(), entry.seq) as ModerationEntry | undefined;
    return { ...entry, client_action_id: given?.client_action_id ?? randomUUID() };
  }

  applied(seq: number): ModerationEntry | null {
    return (
      (this.#settle.get('applied', null, new Date().toISOString(), seq) as ModerationEntry | undefined) ??
      null
    );
  }

  rejected(seq: number, error: string): ModerationEntry | null {
    return (this.#settle.get('rejected', error, null, seq) as ModerationEntry | undefined) ?? null;
  }

  /** Newest first. */
  forLive(serverKey: string, liveId: number, limit = 500): ModerationEntry[] {
    return this.#forLive.all(serverKey, liveId, limit) as ModerationEntry[];
  }

  pendingCount(serverKey: string): number {
    return (this.#pendingCount.get(serverKey) as { n: number }).n;
  }
}
