import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The server's history of a live's reactions (issue 16), copied by the sync: who gave each one, when, and when it
 * was taken back. A replay shows the counts as they stood at any moment from it, offline, and the studio names
 * who reacted on hover. Keyed by the server's id, so a repeated answer rewrites the same rows. Times are the
 * server's (ISO), as messages' created_at are: the replay clock maps both the same way.
 */
export const reactionHistory = sqliteTable(
  'reaction_history',
  {
    serverKey: text('server_key').notNull(),
    id: integer('id').notNull(),
    liveId: integer('live_id').notNull(),
    messageServerId: integer('message_server_id').notNull(),
    emoji: text('emoji').notNull(),
    userId: integer('user_id').notNull(),
    name: text('name').notNull(),
    givenAt: text('given_at').notNull(),
    takenAt: text('taken_at'),
  },
  (table) => [
    primaryKey({ columns: [table.serverKey, table.id] }),
    index('reaction_history_message').on(table.serverKey, table.messageServerId),
    index('reaction_history_live').on(table.serverKey, table.liveId),
  ],
);

/** How far each live's reaction history is copied: the server's `as_of` of the last complete answer. */
export const reactionHistoryState = sqliteTable(
  'reaction_history_state',
  {
    serverKey: text('server_key').notNull(),
    liveId: integer('live_id').notNull(),
    asOf: text('as_of').notNull(),
  },
  (table) => [primaryKey({ columns: [table.serverKey, table.liveId] })],
);
