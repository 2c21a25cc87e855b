import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The signed-in account per server. The token sits in the user's own data dir, like any desktop app's session;
 * the server stores only its hash, and logout revokes it there.
 */
export const accounts = sqliteTable('accounts', {
  serverKey: text('server_key').primaryKey(),
  /** The user (Author + email) as JSON. */
  user: text('user').notNull(),
  /** The access token, sealed by the host's SecretBox (db/secret-box.ts). */
  token: text('token').notNull(),
  /** The refresh token that renews it (sealed the same way); null for servers from before refresh tokens. */
  refreshToken: text('refresh_token'),
  updatedAt: text('updated_at').notNull(),
});
