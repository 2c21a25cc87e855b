import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The host's local cache (design §3). Migrations in drizzle/host are generated from it by drizzle-kit. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  /** JSON-encoded value. */
  value: text('value').notNull(),
});
