import {
  bigint,
  bigserial,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { chatMessages } from './chat';
import { posts } from './lives';
import { users } from './users';

/**
 * Bans and timeouts on one live: a ban has no end (`expires_at` null), a timeout ends at `expires_at`.
 * One row per (live, user): a ban replaces a timeout and the other way round; unban deletes the row.
 */
export const liveBans = pgTable(
  'live_bans',
  {
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    reason: text('reason'),
    createdBy: bigint('created_by', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.userId] })],
);

export const MODERATION_ACTIONS = [
  'hide',
  'unhide',
  'delete',
  'ban',
  'unban',
  'timeout',
  'slow_mode',
  'add_moderator',
  'remove_moderator',
  'blocked_terms',
  'release',
  'pin',
  'unpin',
  'delete_recording',
  'publish_recording',
] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** A live's blocked terms (stored folded, see src/shared/blocked-terms.ts): matching messages are held. */
export const liveBlockedTerms = pgTable(
  'live_blocked_terms',
  {
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    term: text('term').notNull(),
    createdBy: bigint('created_by', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.term] })],
);

/** Who did what to whom on which live: the moderation log (append-only). */
export const moderationLog = pgTable(
  'moderation_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    actorId: bigint('actor_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    action: text('action', { enum: MODERATION_ACTIONS }).notNull(),
    targetUserId: bigint('target_user_id', { mode: 'number' }).references(() => users.id),
    targetMessageId: bigint('target_message_id', { mode: 'number' }).references(() => chatMessages.id),
    reason: text('reason'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('moderation_log_post_idx').on(table.postId, table.id)],
);

/**
 * The client action ids of moderation actions applied (domain/moderation-once.ts), as `chat_messages.client_id`
 * is for sends: a studio that queued a ban offline and died between the server's answer and its record of it
 * sends the same action again with the same id, and the server answers without applying it a second time. One
 * row per (moderator, id); the action and live are kept to refuse an id reused for something else.
 */
export const moderationActionIds = pgTable(
  'moderation_action_ids',
  {
    actorId: bigint('actor_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientActionId: uuid('client_action_id').notNull(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    action: text('action', { enum: MODERATION_ACTIONS }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.actorId, table.clientActionId] })],
);
