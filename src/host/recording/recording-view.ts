import { recordingSchema } from '../../shared/wire';
import type { recordings } from '../db/schema/recordings';
import { z } from 'zod';

/** A recording as the library and the recorder see it: the shared Recording plus what this host knows more. */
export const recordingViewSchema = recordingSchema.extend({
  ext: z.string(),
  /** The chat server of the live (null: none, or an older recording). */
  server_key: z.string().nullable(),
  ended_at: z.string().nullable(),
  error: z.string().nullable(),
  pauses: z.array(z.object({ start: z.number(), end: z.number().nullable() })),
  markers: z.array(
    z.object({ id: z.string(), at: z.number(), videoMs: z.number(), label: z.string().nullable() }),
  ),
  gaps: z.array(z.object({ from: z.number(), to: z.number() })),
  /** 0–1 while being finalized, else null. */
  finalize_progress: z.number().nullable(),
  /** The server's copy (src/host/server-copy): local only, uploading, on the server, or failed (with the reason). */
  upload_state: z.enum(['local', 'uploading', 'uploaded', 'failed']),
  uploaded_bytes: z.number(),
  upload_error: z.string().nullable(),
  uploaded_at: z.string().nullable(),
  /** While an upload runs: its speed, for the library's "time left". */
  upload_bytes_per_second: z.number().nullable(),
});
export type RecordingView = z.infer<typeof recordingViewSchema>;

export function toRecordingView(
  row: typeof recordings.$inferSelect,
  finalizeProgress: number | null,
  uploadBytesPerSecond: number | null = null,
): RecordingView {
  return {
    id: row.id,
    live_id: row.liveId,
    server_key: row.serverKey,
    live_title: row.liveTitle,
    mime: row.mime,
    started_at: row.startedAt,
    server_clock_offset_ms: row.serverClockOffsetMs,
    duration_ms: row.durationMs,
    bytes: row.bytes,
    status: row.status,
    ext: row.ext,
    ended_at: row.endedAt,
    error: row.error,
    pauses: row.pauses,
    markers: row.markers,
    gaps: row.gaps,
    finalize_progress: finalizeProgress,
    upload_state: row.uploadState,
    uploaded_bytes: row.uploadedBytes,
    upload_error: row.uploadError,
    uploaded_at: row.uploadedAt,
    upload_bytes_per_second: uploadBytesPerSecond,
  };
}
