import { bigint, bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Accounts. The email is stored lower-cased (the input schema normalises it), so `unique` is case-insensitive.
 * `username` is CommuniConnect's public handle: unique, lower-cased, derived from the e-mail when a client sends
 * none (domain/usernames.ts); accounts made before it existed got theirs from the backfill migration.
 */
export const users = pgTable('users', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  email: text('email').notNull().unique(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  profilePicture: text('profile_picture'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Refresh tokens (simplejwt's `refresh`): one per sign-in, longer-lived than the access tokens it mints. Only the
 * sha256 is kept. Deleting one (logout) deletes every access token minted from it (sessions.refresh_hash).
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('refresh_tokens_user_idx').on(table.userId)],
);

/**
 * Signed-in sessions: the access tokens. Only the sha256 of the opaque token is kept: a leaked table does not let anyone sign in,
 * and sha256 (not scrypt) is enough because the token has 256 random bits.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The refresh token that minted it (null for sessions from before refresh tokens existed). */
    refreshHash: text('refresh_hash').references(() => refreshTokens.tokenHash, { onDelete: 'cascade' }),
  },
  (table) => [
    index('sessions_user_idx').on(table.userId),
    index('sessions_refresh_idx').on(table.refreshHash),
  ],
);
