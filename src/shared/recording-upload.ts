import { z } from 'zod';

/** Where a recording's bytes live on the server once its tus upload ends (src/server/recordings/tus-uploads.ts). */
export const TUS_UPLOADS_PATH = '/api/recordings/uploads';

/** Bytes that finalization rewrote in what was already uploaded: `data` (base64) replaces the bytes at `at`. */
export const recordingPatchSchema = z.object({
  at: z.number().int().min(0),
  data: z.base64().min(1),
});
export type RecordingPatch = z.infer<typeof recordingPatchSchema>;

/** The recorder's pauses and markers, as the host keeps them (epoch ms of the recorder's clock). */
export const recordingTimelineSchema = z.object({
  pauses: z.array(z.object({ start: z.number(), end: z.number().nullable() })).max(10_000),
  markers: z
    .array(
      z.object({
        id: z.string().max(100),
        at: z.number(),
        videoMs: z.number(),
        label: z.string().max(200).nullable(),
      }),
    )
    .max(10_000),
});
export type RecordingTimeline = z.infer<typeof recordingTimelineSchema>;

/**
 * What the host claims of its finalized file when its upload has ended (`POST /api/recordings/{id}/complete/`):
 * the server lays the patches over the bytes it holds and accepts the recording only if the SHA-256 matches.
 */
export const recordingCompletionSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex'),
  patches: z.array(recordingPatchSchema).max(100_000).default([]),
  duration_ms: z.number().int().min(0).nullable().default(null),
  clock_offset_ms: z.number().int().nullable().default(null),
  timeline: recordingTimelineSchema.nullable().default(null),
});
export type RecordingCompletion = z.input<typeof recordingCompletionSchema>;

/** A recording's metadata as the server keeps it (src/server/domain/recordings.ts). */
export type RecordingInfo = {
  id: string;
  post_id: number;
  mime_type: string;
  size: number;
  sha256: string | null;
  state: 'uploading' | 'complete';
  duration_ms: number | null;
  /** Server clock minus the recorder's clock at the start: chat time − offset = the recorder's time. */
  clock_offset_ms: number | null;
  /** When the recorder started (its clock), and its pauses and markers: what a replay needs. */
  recorded_at: string | null;
  timeline: RecordingTimeline | null;
  live_title: string;
  published: boolean;
  created_at: string;
  completed_at: string | null;
};

/** A recording as the server lists it (`GET /api/posts/live/{id}/recordings/`, `GET /api/recordings/`). */
export type ServerRecording = RecordingInfo & {
  /** Bytes the server holds: all of them once `complete`, the uploaded part while `uploading`. */
  uploaded_bytes: number;
  /** Plays without a sign-in (a `<video>` sends no header) until it expires. */
  file_url: string;
};
