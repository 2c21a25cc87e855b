import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The chat cache and the outbox in one table: a message typed here is a `pending` row first, and the same row
 * becomes `sent` when the server accepts it (design §3). Rows of every server live side by side, told apart by
 * `server_key`, so that switching between the embedded and a remote server never mixes two chats.
 */
export const messages = sqliteTable(
  'messages',
  {
    /** Local order of insertion: the outbox pushes pending rows in this order. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    /** 'embedded' or a remote server's origin (see server-link/server-key.ts). */
    serverKey: text('server_key').notNull(),
    liveId: integer('live_id').notNull(),
    /** Unique per author on the server (its idempotency key): our key for our own messages. */
    clientId: text('client_id').notNull(),
    serverId: integer('server_id'),
    version: integer('version'),
    status: text('status', { enum: ['pending', 'sent', 'rejected'] }).notNull(),
    reason: text('reason'),
    authorId: integer('author_id').notNull(),
    authorFirstName: text('author_first_name').notNull(),
    authorLastName: text('author_last_name').notNull(),
    authorPicture: text('author_picture'),
    content: text('content').notNull(),
    /** ISO 8601: the server's time once sent, local time while pending. */
    createdAt: text('created_at').notNull(),
    hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
    deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
    held: integer('held', { mode: 'boolean' }).notNull().default(false),
    /** `text` or `emoji` (emoji only, shown large). */
    type: text('type', { enum: ['text', 'emoji'] })
      .notNull()
      .default('text'),
    /** The message this one answers: its server id once known… */
    replyToServerId: integer('reply_to_server_id'),
    /** …and its client id (a reply typed offline to a message still pending: linked up when both are sent). */
    replyToClientId: text('reply_to_client_id'),
    /** The reactions as this user sees them (wire `Reaction[]`, JSON): the server's with ours not yet sent. */
    reactions: text('reactions').notNull().default('[]'),
    /**
     * The server's last word on them (same form): what `reactions` is rebuilt from when a toggle not yet sent is
     * refused or a newer row arrives (reaction-overlay.ts), so a guess never outlives the server's answer.
     */
    serverReactions: text('server_reactions').notNull().default('[]'),
    /**
     * Display order: the server id once known (the server's order), else a large base + seq so that what is
     * still local sorts after everything the server has. One index serves "newest N" and paging back.
     */
    sortKey: integer('sort_key').notNull(),
  },
  (table) => [
    // One index keyed by client_id, not two: client ids are random, so every commit of a sync rewrites most
    // pages of such an index. Ordered (server, client, author), it is the upsert's conflict target and serves
    // every lookup by client_id (all of them name the server), so no second client_id index is needed.
    uniqueIndex('messages_client_author').on(table.serverKey, table.clientId, table.authorId),
    index('messages_live_order').on(table.serverKey, table.liveId, table.sortKey),
    index('messages_outbox').on(table.serverKey, table.seq).where(sql`${table.status} = 'pending'`),
  ],
);

/**
 * Reactions given or taken back here and not yet on the server (issue 16): one row per message and emoji, the
 * wanted state (`on`), replaced by the next toggle of the same pair, so that what reaches the server is the last
 * word, once. The message is named by its client id: it may itself be still pending.
 */
export const reactionOutbox = sqliteTable(
  'reaction_outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    serverKey: text('server_key').notNull(),
    liveId: integer('live_id').notNull(),
    authorId: integer('author_id').notNull(),
    messageClientId: text('message_client_id').notNull(),
    emoji: text('emoji').notNull(),
    on: integer('on', { mode: 'boolean' }).notNull(),
    status: text('status', { enum: ['pending', 'rejected'] })
      .notNull()
      .default('pending'),
    reason: text('reason'),
  },
  (table) => [
    uniqueIndex('reaction_outbox_target').on(
      table.serverKey,
      table.authorId,
      table.messageClientId,
      table.emoji,
    ),
  ],
);
