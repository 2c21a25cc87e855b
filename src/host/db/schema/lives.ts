import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Lives as last seen from each server, so that the studio can show them (and their chat) offline. */
export const lives = sqliteTable(
  'lives',
  {
    serverKey: text('server_key').notNull(),
    id: integer('id').notNull(),
    /** The Live (src/shared/wire.ts) as JSON. */
    data: text('data').notNull(),
    /** The signed-in user's role on it, when the server told us. */
    role: text('role', { enum: ['host', 'moderator', 'viewer'] }),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.serverKey, table.id] })],
);
