import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { posts } from './lives';
import { users } from './users';
import { nextVersion } from './versions';

/** Chat messages. Nothing is ever removed: hide/delete are markers, so every change can sync as a version. */
export const chatMessages = pgTable(
  'chat_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    authorId: bigint('author_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    /** Chosen by the sender; a retry with the same id returns the first row (idempotent send). */
    clientId: uuid('client_id').notNull(),
    content: text('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    version: bigint('version', { mode: 'number' }).notNull().default(nextVersion),
    hidden: boolean('hidden').notNull().default(false),
    deleted: boolean('deleted').notNull().default(false),
    /** Held for review (blocked terms, moderation issue): seen by staff and the author only. */
    held: boolean('held').notNull().default(false),
    /** `text`, or `emoji` (emoji only, shown large). A reaction is not a message: see chat_reactions. */
    type: text('type', { enum: ['text', 'emoji'] })
      .notNull()
      .default('text'),
    /** The message of the same live this one answers (issue 16), or null. */
    replyToId: bigint('reply_to_id', { mode: 'number' }).references((): AnyPgColumn => chatMessages.id),
    /**
     * The reactions as they stand, kept on the row: `[{e: emoji, u: [user ids, in order]}]`, rewritten (with a new
     * version) by every toggle, so that every read path — pull, subscriptions, history, pages — carries them
     * without a query per message, and each reader's `mine` is read from the ids.
     */
    reactions: jsonb('reactions').$type<StoredReaction[]>().notNull().default([]),
  },
  (table) => [
    uniqueIndex('chat_messages_author_client_idx').on(table.authorId, table.clientId),
    // Pull and subscriptions: events of one live by version.
    uniqueIndex('chat_messages_post_version_idx').on(table.postId, table.version),
    // History in order, for viewers (what they may see) and for staff (all but deleted): keyset pages.
    index('chat_messages_post_visible_idx')
      .on(table.postId, table.id)
      .where(sql`not ${table.hidden} and not ${table.deleted} and not ${table.held}`),
    index('chat_messages_post_listed_idx').on(table.postId, table.id).where(sql`not ${table.deleted}`),
    // Rate limit and slow mode: one author's recent messages on one live.
    index('chat_messages_post_author_time_idx').on(table.postId, table.authorId, table.createdAt),
    index('chat_messages_reply_to_idx').on(table.replyToId).where(sql`${table.replyToId} is not null`),
  ],
);

export type StoredReaction = { e: string; u: number[] };

/**
 * Every reaction ever given, with when it was given and taken back: the row's `reactions` is what stands now;
 * these rows say what stood at any moment (a replay at time t) and who reacted (names on hover).
 */
export const chatReactions = pgTable(
  'chat_reactions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => chatMessages.id, { onDelete: 'cascade' }),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    emoji: text('emoji').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Taken back by its user, or removed by moderation (a hidden message, a ban); null while it stands. */
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    // A toggle is idempotent: one standing reaction per user, message and emoji.
    uniqueIndex('chat_reactions_standing_idx')
      .on(table.messageId, table.userId, table.emoji)
      .where(sql`${table.removedAt} is null`),
    index('chat_reactions_post_time_idx').on(table.postId, table.createdAt),
    index('chat_reactions_user_idx').on(table.postId, table.userId),
  ],
);
