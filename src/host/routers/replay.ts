import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { RecordingError } from '../recording/recording-error';
import { replayOf } from '../replay/replay-for-host';
import { publicProcedure, router } from './trpc';

const recordingId = z.string().uuid();
const atMs = z
  .number()
  .finite()
  .min(0)
  .max(7 * 24 * 3600 * 1000);

/** The recording service says "no such recording" with its own error: the renderer gets a NOT_FOUND. */
function refusals<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof RecordingError) throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

/** replay.*: a saved live's chat placed on its video. Reads only this computer (works with the network off). */
export const replayRouter = router({
  open: publicProcedure
    .input(z.object({ recordingId }))
    .query(({ ctx, input }) => refusals(() => replayOf(ctx.host).open(input.recordingId))),

  /** The chat around a moment of the video: what was said up to `atMs`, and what comes next. */
  window: publicProcedure
    .input(
      z.object({
        recordingId,
        atMs,
        before: z.number().int().min(0).max(500).default(100),
        after: z.number().int().min(0).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) =>
      refusals(() => replayOf(ctx.host).window(input.recordingId, input.atMs, input.before, input.after)),
    ),

  /** Text or author, case and accents ignored; hits carry their video time for the timeline marks. */
  search: publicProcedure
    .input(
      z.object({
        recordingId,
        query: z.string().max(200),
        limit: z.number().int().min(1).max(2000).default(500),
      }),
    )
    .query(({ ctx, input }) =>
      refusals(() => replayOf(ctx.host).search(input.recordingId, input.query, input.limit)),
    ),
});
