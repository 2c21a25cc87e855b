import { on } from 'node:events';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { SLOW_MODE_MAX_SECONDS } from '../../shared/limits';
import type { Host } from '../host';
import { ModerationError } from '../moderation/moderation-service';
import { toTrpcError } from '../server-link/to-trpc-error';
import { publicProcedure, router } from './trpc';

const liveId = z.number().int().positive();
const reason = z.string().trim().max(500).optional();
/** The timeouts the pane offers (issue 7): 1, 5, 10 minutes and 24 hours. */
export const TIMEOUT_SECONDS = [60, 300, 600, 86_400] as const;

const actInput = z.discriminatedUnion('action', [
  z.object({ action: z.enum(['hide', 'unhide', 'delete']), liveId, clientId: z.string().uuid(), reason }),
  z.object({ action: z.enum(['ban', 'unban']), liveId, userId: z.number().int().positive(), reason }),
  z.object({
    action: z.literal('timeout'),
    liveId,
    userId: z.number().int().positive(),
    seconds: z
      .number()
      .int()
      .min(1)
      .max(14 * 86_400),
    reason,
  }),
  z.object({
    action: z.literal('slow_mode'),
    liveId,
    seconds: z.number().int().min(0).max(SLOW_MODE_MAX_SECONDS),
  }),
]);

async function guarded<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ModerationError) throw new TRPCError({ code: error.code, message: error.message });
    throw toTrpcError(error);
  }
}

const serverKeyOf = (host: Host) => host.link.target?.serverKey ?? null;

/** moderation.*: actions (queued when offline), the log, the held-for-review queue and the user card. */
export const moderationRouter = router({
  /** Returns the outbox entry: `applied`, `rejected` (with the server's words) or `pending` (offline). */
  act: publicProcedure
    .input(actInput)
    .mutation(({ ctx, input }) => guarded(() => ctx.host.moderation.act(input))),

  log: publicProcedure
    .input(z.object({ liveId }))
    .query(({ ctx, input }) => guarded(() => ctx.host.moderation.log(input.liveId))),

  local: publicProcedure
    .input(z.object({ liveId }))
    .query(({ ctx, input }) => guarded(() => ctx.host.moderation.local(input.liveId))),

  held: publicProcedure
    .input(z.object({ liveId }))
    .query(({ ctx, input }) => guarded(() => ctx.host.moderation.held(input.liveId))),

  userCard: publicProcedure
    .input(z.object({ liveId, userId: z.number().int().positive() }))
    .query(({ ctx, input }) => guarded(() => ctx.host.moderation.userCard(input.liveId, input.userId))),

  setModerator: publicProcedure
    .input(
      z.object({
        liveId,
        email: z.string().trim().toLowerCase().email(),
        role: z.enum(['moderator', 'viewer']),
      }),
    )
    .mutation(({ ctx, input }) =>
      guarded(() => ctx.host.moderation.setModerator(input.liveId, input.email, input.role)),
    ),

  /** Fires when this studio's actions on the live change (queued, applied, refused). */
  onChange: publicProcedure.input(z.object({ liveId })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    for await (const [change] of on(ctx.host.moderation.events, 'change', { signal })) {
      if (change.liveId === input.liveId && change.serverKey === serverKeyOf(ctx.host))
        yield { liveId: input.liveId };
    }
  }),
});
