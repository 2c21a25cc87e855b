import { authRouter } from './auth';
import { chatRouter } from './chat';
import { livesRouter } from './lives';
import { moderationRouter } from './moderation';
import { bareProcedure, router } from './trpc';

/** The chat server's tRPC API (contract: /work/team/CONTRACTS.md). */
export const appRouter = router({
  auth: authRouter,
  lives: livesRouter,
  chat: chatRouter,
  moderation: moderationRouter,
  /** The server clock, for the host's clock-offset measurement (replay alignment). */
  time: bareProcedure.query(() => ({ epochMs: Date.now() })),
  /** The protocol version and capabilities this server speaks (src/shared/protocol.ts): asked before anything. */
  protocol: bareProcedure.query(({ ctx }) => ctx.protocol),
});

export type AppRouter = typeof appRouter;
