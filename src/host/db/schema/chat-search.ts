import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Which lives' chat is in the full-text index (`messages_fts`, an FTS5 table made by migration 0013, which
 * drizzle's schema cannot describe) and how far (issue 18). A live is indexed the first time its replay opens,
 * in slices, by `seq`: rows up to `indexedSeq` are in it, and the migration's triggers keep those in step when
 * the sync rewrites them. Once the whole live is in, `indexedSeq` is the largest safe integer, so rows that
 * arrive later are indexed as they are written. A live never replayed costs its sync nothing.
 */
export const searchLives = sqliteTable(
  'search_lives',
  {
    serverKey: text('server_key').notNull(),
    liveId: integer('live_id').notNull(),
    indexedSeq: integer('indexed_seq').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.serverKey, table.liveId] })],
);
