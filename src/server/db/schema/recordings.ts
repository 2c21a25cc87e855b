import { bigint, boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { posts } from './lives';
import { users } from './users';

import type { RecordingPatch, RecordingTimeline } from '../../../shared/recording-upload';

export type { RecordingPatch, RecordingTimeline };

/**
 * A live's recording as the server keeps it (the host's chunk writer is its first home, design §3). The bytes
 * are in the file store under `storage_key`; a row is `complete` only once every byte is stored and hashed.
 */
export const recordings = pgTable(
  'recordings',
  {
    id: uuid('id').primaryKey(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    uploaderId: bigint('uploader_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    mimeType: text('mime_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    durationMs: bigint('duration_ms', { mode: 'number' }),
    sha256: text('sha256'),
    state: text('state', { enum: ['uploading', 'complete'] }).notNull(),
    storageKey: text('storage_key').notNull(),
    /** When the recorder started, by its own clock (tus metadata `started_at`): the replay's zero. */
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }),
    /** The recorder's pauses and markers (epoch ms of its clock): a replay on another machine places chat with them. */
    timeline: jsonb('timeline').$type<RecordingTimeline>(),
    /** Server clock minus the recorder's clock when recording started, so any machine aligns chat to it. */
    clockOffsetMs: bigint('clock_offset_ms', { mode: 'number' }),
    /**
     * Bytes the recorder's finalization rewrote below what was already uploaded (the head, cluster sizes):
     * a tus upload only appends, so these are laid over the stored bytes whenever the file is read.
     */
    patches: jsonb('patches').$type<RecordingPatch[]>().notNull().default([]),
    /** The host lets viewers play it once the live has ended (off by default). */
    published: boolean('published').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    index('recordings_post_idx').on(table.postId),
    index('recordings_uploader_idx').on(table.uploaderId),
  ],
);
