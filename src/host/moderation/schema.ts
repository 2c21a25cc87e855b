import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Moderation actions taken in this studio, as an outbox (issue 7): written here first, applied to the chat
 * server once online, in order, exactly once. `pending` → `applied` (the server said yes) or `rejected` (the
 * server said no: not a moderator, message gone…, with its words). Rows stay as the local trace of what was done.
 */
export const moderationOutbox = sqliteTable(
  'moderation_outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    serverKey: text('server_key').notNull(),
    liveId: integer('live_id').notNull(),
    /** The moderator who acted (an account of this server): only their token may apply it. */
    actorId: integer('actor_id').notNull(),
    action: text('action', {
      enum: ['hide', 'unhide', 'delete', 'ban', 'unban', 'timeout', 'slow_mode'],
    }).notNull(),
    /** The target message (server id), for hide/unhide/delete. */
    messageId: integer('message_id'),
    /** Its client_id, so that the pane can show the action on the row while it is still queued. */
    messageClientId: text('message_client_id'),
    /** The target user, for ban/unban/timeout. */
    userId: integer('user_id'),
    /** Timeout length or slow mode delay. */
    seconds: integer('seconds'),
    reason: text('reason'),
    /**
     * A UUID sent with the action: the server applies an action once per id, so a resend after a crash between
     * its answer and our record of it changes nothing. Null on rows queued before this column (one is given on
     * their first send, before it goes out).
     */
    clientActionId: text('client_action_id'),
    status: text('status', { enum: ['pending', 'applied', 'rejected'] }).notNull(),
    /** Why the server refused it. */
    error: text('error'),
    createdAt: text('created_at').notNull(),
    appliedAt: text('applied_at'),
  },
  (table) => [
    index('moderation_outbox_pending').on(table.serverKey, table.seq).where(sql`${table.status} = 'pending'`),
    index('moderation_outbox_live').on(table.serverKey, table.liveId, table.seq),
  ],
);

/** The moderation log as last read from the server, per live, so that it shows (and exports) offline. */
export const moderationLogCache = sqliteTable(
  'moderation_log_cache',
  {
    serverKey: text('server_key').notNull(),
    liveId: integer('live_id').notNull(),
    /** ModerationLogEntry[] as JSON, newest first. */
    entries: text('entries').notNull(),
    fetchedAt: text('fetched_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.serverKey, table.liveId] })],
);
