import {
  addModerator,
  banUser,
  deleteMessage,
  hideMessage,
  moderationLog,
  removeModerator,
  setSlowMode,
  timeoutUser,
  unbanUser,
  unhideMessage,
} from '../domain/moderation';
import {
  livePostInput,
  messageActionInput,
  moderatorInput,
  slowModeInput,
  timeoutInput,
  userActionInput,
} from './inputs';
import { authedProcedure, router } from './trpc';

export const moderationRouter = router({
  hide: authedProcedure
    .input(messageActionInput)
    .mutation(({ ctx, input }) => hideMessage(ctx.env, ctx.actor, input)),
  unhide: authedProcedure
    .input(messageActionInput)
    .mutation(({ ctx, input }) => unhideMessage(ctx.env, ctx.actor, input)),
  delete: authedProcedure
    .input(messageActionInput)
    .mutation(({ ctx, input }) => deleteMessage(ctx.env, ctx.actor, input)),
  ban: authedProcedure
    .input(userActionInput)
    .mutation(({ ctx, input }) => banUser(ctx.env, ctx.actor, input)),
  unban: authedProcedure
    .input(userActionInput)
    .mutation(({ ctx, input }) => unbanUser(ctx.env, ctx.actor, input)),
  timeout: authedProcedure
    .input(timeoutInput)
    .mutation(({ ctx, input }) => timeoutUser(ctx.env, ctx.actor, input)),
  setSlowMode: authedProcedure
    .input(slowModeInput)
    .mutation(({ ctx, input }) => setSlowMode(ctx.env, ctx.actor, input)),
  addModerator: authedProcedure
    .input(moderatorInput)
    .mutation(({ ctx, input }) => addModerator(ctx.env, ctx.actor, input)),
  removeModerator: authedProcedure
    .input(moderatorInput)
    .mutation(({ ctx, input }) => removeModerator(ctx.env, ctx.actor, input)),
  log: authedProcedure
    .input(livePostInput)
    .query(({ ctx, input }) => moderationLog(ctx.env, ctx.actor, input.postId)),
});
