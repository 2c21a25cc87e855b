import { createLiveInputSchema } from '../../shared/wire';
import { createLive, endLive, getLive, listLives, startLive } from '../domain/lives';
import { listLivesInput, livePostInput } from './inputs';
import { authedProcedure, router } from './trpc';

export const livesRouter = router({
  create: authedProcedure
    .input(createLiveInputSchema)
    .mutation(({ ctx, input }) => createLive(ctx.env, ctx.actor, input)),
  start: authedProcedure
    .input(livePostInput)
    .mutation(({ ctx, input }) => startLive(ctx.env, ctx.actor, input.postId)),
  end: authedProcedure
    .input(livePostInput)
    .mutation(({ ctx, input }) => endLive(ctx.env, ctx.actor, input.postId)),
  get: authedProcedure
    .input(livePostInput)
    .query(({ ctx, input }) => getLive(ctx.env, ctx.actor, input.postId)),
  list: authedProcedure.input(listLivesInput).query(({ ctx, input }) => listLives(ctx.env, ctx.actor, input)),
});
