import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { users } from './users';
import { nextVersion } from './versions';

/** A live is a post (the CommuniConnect seed calls them posts): title, host, status and chat settings. */
export const posts = pgTable(
  'posts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    hostId: bigint('host_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** The post's text as CommuniConnect shows it in the feed (its `content`); our own clients leave it empty. */
    content: text('content').notNull().default(''),
    /** Handed to the web client at `live/start/` (it reads `stream_key`); not a secret, not used to sign in. */
    streamKey: text('stream_key'),
    /** What the web client's `live/{id}/stop/` reported of its recording: `{url, duration, size}`. */
    videoData: jsonb('video_data'),
    status: text('status', { enum: ['scheduled', 'live', 'ended'] })
      .notNull()
      .default('scheduled'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
    /**
     * The pinned message, or null. No foreign key: pin() checks the message belongs to this live, and a
     * message row is never removed (delete is a marker), so the id cannot dangle.
     */
    pinnedMessageId: bigint('pinned_message_id', { mode: 'number' }),
    /**
     * Bumped whenever the blocked-terms list changes: every server process compares it with the revision of
     * its cached matcher on each send, so a list changed through another node is applied at once.
     */
    blockedTermsRevision: integer('blocked_terms_revision').notNull().default(0),
    /** Bumped from the chat sequence on every change, so that pulls deliver the live's state too. */
    version: bigint('version', { mode: 'number' }).notNull().default(nextVersion),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('posts_status_idx').on(table.status, table.id),
    index('posts_host_idx').on(table.hostId, table.id),
    check('posts_status_check', sql`${table.status} in ('scheduled', 'live', 'ended')`),
  ],
);

/** Per-live roles. Only moderators are stored: the host is `posts.host_id`, everyone else is a viewer. */
export const liveRoles = pgTable(
  'live_roles',
  {
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['moderator'] })
      .notNull()
      .default('moderator'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.userId] })],
);

/**
 * Kept message counts per live, for the REST pagination's `count` (a count(*) per request is what makes DRF
 * slow on long lives). Split into shards so that 50 concurrent senders do not queue on one row lock;
 * the count is the sum of a live's shards. `visible` = what viewers see, `listed` = what staff see.
 */
export const postCounters = pgTable(
  'post_counters',
  {
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    shard: smallint('shard').notNull(),
    visible: bigint('visible', { mode: 'number' }).notNull().default(0),
    listed: bigint('listed', { mode: 'number' }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.postId, table.shard] })],
);
