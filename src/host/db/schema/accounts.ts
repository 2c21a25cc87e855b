import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The signed-in account per server. The token sits in the user's own data dir, like any desktop app's session;
 * the server stores only its hash, and logout revokes it there.
 */
export const accounts = sqliteTable('accounts', {
  serverKey: text('server_key').primaryKey(),
  /** The user (Author + email) as JSON. */
  user: text('user').notNull(),
  token: text('token').notNull(),
  updatedAt: text('updated_at').notNull(),
});
