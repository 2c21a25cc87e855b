import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { chatCsv, chatJson, chatVtt, type ExportFile, moderationLogCsv } from '../exports/chat-exports';
import { liveChat } from '../exports/live-chat';
import type { Host } from '../host';
import { ModerationError } from '../moderation/moderation-service';
import { RecordingError } from '../recording/recording-error';
import { replayOf } from '../replay/replay-for-host';
import { publicProcedure, router } from './trpc';

const liveId = z.number().int().positive();

function serverKeyOf(host: Host): string {
  const target = host.link.target;
  if (!target) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'Choose a chat server first.' });
  return target.serverKey;
}

async function guarded(call: () => ExportFile | Promise<ExportFile>): Promise<ExportFile> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RecordingError || error instanceof ModerationError)
      throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

/**
 * exports.*: files for the user to save (the renderer turns them into downloads). Built from this computer's
 * cache, so they work offline; the moderation log is refreshed from the server first when it can be reached.
 */
export const exportsRouter = router({
  chat: publicProcedure
    .input(z.object({ liveId, format: z.enum(['json', 'csv']) }))
    .mutation(({ ctx, input }) =>
      guarded(async () => {
        const serverKey = serverKeyOf(ctx.host);
        const live = ctx.host.lives.get(serverKey, input.liveId);
        const messages = liveChat(ctx.host.database.sqlite, serverKey, input.liveId);
        if (input.format === 'csv') return chatCsv({ liveId: input.liveId, live, messages });
        const log = await ctx.host.moderation.log(input.liveId).catch(() => null);
        return chatJson({
          liveId: input.liveId,
          live,
          messages,
          log: log?.entries ?? [],
          local: log?.local ?? ctx.host.moderation.local(input.liveId),
        });
      }),
    ),

  /** The chat as WebVTT subtitles timed to one recording. */
  vtt: publicProcedure.input(z.object({ recordingId: z.string().uuid() })).mutation(({ ctx, input }) =>
    guarded(() => {
      const { recording, messages } = replayOf(ctx.host).all(input.recordingId);
      const target = ctx.host.link.target;
      const live =
        target && recording.live_id !== null ? ctx.host.lives.get(target.serverKey, recording.live_id) : null;
      // Replies may answer a message sent before the recording started: the whole live names their parents.
      const parents =
        target && recording.live_id !== null
          ? liveChat(ctx.host.database.sqlite, target.serverKey, recording.live_id)
          : [];
      return chatVtt({ recording, messages, live, parents });
    }),
  ),

  moderationLog: publicProcedure.input(z.object({ liveId })).mutation(({ ctx, input }) =>
    guarded(async () => {
      const serverKey = serverKeyOf(ctx.host);
      const log = await ctx.host.moderation.log(input.liveId);
      return moderationLogCsv({
        liveId: input.liveId,
        live: ctx.host.lives.get(serverKey, input.liveId),
        log: log.entries,
        local: log.local,
        names: log.names,
      });
    }),
  ),
});
