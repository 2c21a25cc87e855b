import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
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
  ],
);
