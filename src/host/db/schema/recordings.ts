import { sql } from 'drizzle-orm';
import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

import type { RecordingPause } from '../../../shared/replay-clock';

export type { RecordingPause };
/** A marker the host dropped during the live: wall-clock epoch ms and its place in the video (pauses removed). */
export type RecordingMarker = { id: string; at: number; videoMs: number; label: string | null };
/** A chunk sequence range that never arrived (the file has a hole there). */
export type RecordingGap = { from: number; to: number };

/**
 * Recordings on this computer (issue 5). The row is written before the first byte, and progress (bytes, next
 * chunk) is updated after every chunk lands on disk, so that recovery after a crash knows what to finalize.
 */
export const recordings = sqliteTable('recordings', {
  id: text('id').primaryKey(),
  liveId: integer('live_id'),
  /**
   * The chat server the live belongs to (its cache key): a replay reads the chat of that server, whichever one
   * is chosen now. Null for a recording without a live, or made before the key was kept.
   */
  serverKey: text('server_key'),
  liveTitle: text('live_title'),
  /** Wall clock (ISO 8601) when the recorder started: replay maps chat time to video time from it. */
  startedAt: text('started_at').notNull(),
  /** server clock − local clock (ms) measured when recording started. */
  serverClockOffsetMs: real('server_clock_offset_ms').notNull().default(0),
  mime: text('mime').notNull(),
  /** File extension of the container (`webm`): the file is `<id>.<ext>`, `<id>.<ext>.part` while recording. */
  ext: text('ext').notNull(),
  bytes: integer('bytes').notNull().default(0),
  /** Sequence number of the next chunk expected (= chunks written, gaps included). */
  nextSeq: integer('next_seq').notNull().default(0),
  durationMs: integer('duration_ms'),
  status: text('status', { enum: ['recording', 'finalizing', 'ready', 'recovered', 'failed'] }).notNull(),
  /** Why a recording failed, for the library. */
  error: text('error'),
  pauses: text('pauses', { mode: 'json' }).$type<RecordingPause[]>().notNull().default(sql`'[]'`),
  markers: text('markers', { mode: 'json' }).$type<RecordingMarker[]>().notNull().default(sql`'[]'`),
  gaps: text('gaps', { mode: 'json' }).$type<RecordingGap[]>().notNull().default(sql`'[]'`),
  endedAt: text('ended_at'),
  /**
   * The server copy (src/host/server-copy): `local` until an upload starts, `uploading` while the server holds part
   * of it, `uploaded` once the server accepted the finalized file's SHA-256, `failed` with `upload_error`.
   */
  uploadState: text('upload_state', { enum: ['local', 'uploading', 'uploaded', 'failed'] })
    .notNull()
    .default('local'),
  /** Bytes the server acknowledged (its tus offset): what a resumed upload does not send again. */
  uploadedBytes: integer('uploaded_bytes').notNull().default(0),
  uploadError: text('upload_error'),
  uploadedAt: text('uploaded_at'),
});
