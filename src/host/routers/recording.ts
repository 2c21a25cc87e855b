import { on } from 'node:events';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { RecordingError } from '../recording/recording-error';
import type { Host } from '../host';
import { downloadServerRecording, listServerRecordings } from '../server-copy/server-recordings';
import { uploadSettingsSchema } from '../server-copy/upload-settings';
import { accountCredentials } from '../server-link/session-renewal';
import type { SyncTarget } from '../sync/engine';
import { publicProcedure, router } from './trpc';

/**
 * A chunk is ~1 s of camera: ~0.3 MB at 720p, ~0.7 MB at 1080p. 12 MB of base64 leaves room for a spike while
 * staying under the WebSocket's 16 MB frame limit (src/host/web-server.ts).
 */
const MAX_CHUNK_BASE64 = 12 * 1024 * 1024;
const recordingId = z.string().uuid();

/** Runs a service call, turning its refusals into tRPC errors with the same code and a human message. */
async function refusals<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RecordingError) throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

const credentialsFor = (host: Host, target: SyncTarget) =>
  accountCredentials(host.accounts, target.serverKey, target.url);

/** recording.*: the recorder's calls (start, chunk, pause, resume, marker, stop) and the library's. */
export const recordingRouter = router({
  start: publicProcedure
    .input(
      z.object({
        mime: z.string().min(1).max(200),
        liveId: z.number().int().positive().optional(),
        liveTitle: z.string().max(500).optional(),
        serverClockOffsetMs: z.number().finite().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      refusals(() =>
        ctx.host.recordings.start({
          ...input,
          // The live's chat is this server's: a replay reads it from there even after another server is chosen.
          serverKey: ctx.host.link.target?.serverKey,
          // The sync engine measured server − local clock against the chat server; replay places chat with it.
          serverClockOffsetMs: input.serverClockOffsetMs ?? ctx.host.sync.clockOffsetMs() ?? undefined,
        }),
      ),
    ),

  /**
   * One MediaRecorder chunk. Base64 in a JSON mutation: +33% on the wire and ~1 ms per MB to decode (see
   * bench/recording), which is negligible beside one chunk per second; the IPC link carries the same call.
   */
  chunk: publicProcedure
    .input(
      z.object({
        id: recordingId,
        seq: z.number().int().nonnegative(),
        data: z.base64().max(MAX_CHUNK_BASE64),
      }),
    )
    .mutation(({ ctx, input }) =>
      refusals(() => ctx.host.recordings.chunk(input.id, input.seq, Buffer.from(input.data, 'base64'))),
    ),

  pause: publicProcedure
    .input(z.object({ id: recordingId }))
    .mutation(({ ctx, input }) => refusals(() => ctx.host.recordings.pause(input.id))),
  resume: publicProcedure
    .input(z.object({ id: recordingId }))
    .mutation(({ ctx, input }) => refusals(() => ctx.host.recordings.resume(input.id))),
  marker: publicProcedure
    .input(z.object({ id: recordingId, label: z.string().max(200).optional() }))
    .mutation(({ ctx, input }) => refusals(() => ctx.host.recordings.marker(input.id, input.label))),
  /** `lastSeq`: the recorder's final chunk, so that the host waits for any still on their way. */
  stop: publicProcedure
    .input(z.object({ id: recordingId, lastSeq: z.number().int().min(-1).optional() }))
    .mutation(({ ctx, input }) =>
      refusals(() => ctx.host.recordings.stop(input.id, input.lastSeq === -1 ? undefined : input.lastSeq)),
    ),

  list: publicProcedure.query(({ ctx }) => ctx.host.recordings.list()),
  get: publicProcedure
    .input(z.object({ id: recordingId }))
    .query(({ ctx, input }) => refusals(() => ctx.host.recordings.get(input.id))),
  delete: publicProcedure
    .input(z.object({ id: recordingId }))
    .mutation(({ ctx, input }) => refusals(() => ctx.host.recordings.delete(input.id))),

  /** "Upload now" / "Retry" in the library: sends it to its live's server (a failed upload starts again). */
  upload: publicProcedure
    .input(z.object({ id: recordingId }))
    .mutation(({ ctx, input }) => refusals(() => ctx.host.uploads.retry(input.id))),
  /** The recordings on the chosen server that this account may see: other desktops' too. */
  onServer: publicProcedure.query(({ ctx }) => {
    const target = ctx.host.link.requireTarget();
    return listServerRecordings(target, credentialsFor(ctx.host, target), ctx.host.recordings);
  }),
  /** "Télécharger pour hors-ligne": a local copy of the server's, replayed with its chat without network. */
  download: publicProcedure.input(z.object({ id: recordingId })).mutation(async ({ ctx, input }) => {
    const target = ctx.host.link.requireTarget();
    const view = await refusals(() =>
      downloadServerRecording(target, credentialsFor(ctx.host, target), ctx.host.recordings, input.id),
    );
    // Its chat comes into the cache too, so that the replay has it offline.
    if (view.live_id !== null) ctx.host.sync.follow(view.live_id);
    return view;
  }),
  uploadSettings: publicProcedure.query(({ ctx }) => ctx.host.uploadPreferences.current()),
  setUploadSettings: publicProcedure
    .input(uploadSettingsSchema)
    .mutation(({ ctx, input }) => ctx.host.uploadPreferences.set(input)),

  /** Every change of any recording (status, finalize progress, pauses, markers) as its full current view. */
  onChange: publicProcedure.subscription(async function* ({ ctx, signal }) {
    for await (const [view] of on(ctx.host.recordings.events, 'change', { signal })) yield view;
  }),
});
