import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * How far each live's chat is synced from each server: the highest event version applied. A row also marks
 * the live as followed, so the sync engine resumes it after a restart.
 */
export const syncState = sqliteTable(
  'sync_state',
  {
    serverKey: text('server_key').notNull(),
    liveId: integer('live_id').notNull(),
    cursor: integer('cursor').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.serverKey, table.liveId] })],
);
