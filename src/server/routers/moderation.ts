import { blockedTerms, setBlockedTerms } from '../domain/blocked-terms';
import {
  addModerator,
  banUser,
  deleteMessage,
  hideMessage,
  releaseMessage,
  removeModerator,
  setSlowMode,
  timeoutUser,
  unbanUser,
  unhideMessage,
} from '../domain/moderation';
import { moderationLog } from '../domain/moderation-log';
import { pinMessage, unpinMessage } from '../domain/pin';
import { liveRestrictions } from '../domain/restrictions';
import {
  blockedTermsInput,
  livePostInput,
  messageActionInput,
  moderationLogInput,
  moderatorInput,
  pinInput,
  slowModeInput,
  timeoutInput,
  unpinInput,
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
  release: authedProcedure
    .input(messageActionInput)
    .mutation(({ ctx, input }) => releaseMessage(ctx.env, ctx.actor, input)),
  pin: authedProcedure.input(pinInput).mutation(({ ctx, input }) => pinMessage(ctx.env, ctx.actor, input)),
  unpin: authedProcedure
    .input(unpinInput)
    .mutation(({ ctx, input }) => unpinMessage(ctx.env, ctx.actor, input)),
  ban: authedProcedure
    .input(userActionInput)
    .mutation(({ ctx, input }) => banUser(ctx.env, ctx.actor, input)),
  unban: authedProcedure
    .input(userActionInput)
    .mutation(({ ctx, input }) => unbanUser(ctx.env, ctx.actor, input)),
  timeout: authedProcedure
    .input(timeoutInput)
    .mutation(({ ctx, input }) => timeoutUser(ctx.env, ctx.actor, input)),
  restrictions: authedProcedure
    .input(livePostInput)
    .query(({ ctx, input }) => liveRestrictions(ctx.env, ctx.actor, input)),
  setSlowMode: authedProcedure
    .input(slowModeInput)
    .mutation(({ ctx, input }) => setSlowMode(ctx.env, ctx.actor, input)),
  setBlockedTerms: authedProcedure
    .input(blockedTermsInput)
    .mutation(({ ctx, input }) => setBlockedTerms(ctx.env, ctx.actor, input)),
  blockedTerms: authedProcedure
    .input(livePostInput)
    .query(({ ctx, input }) => blockedTerms(ctx.env, ctx.actor, input)),
  addModerator: authedProcedure
    .input(moderatorInput)
    .mutation(({ ctx, input }) => addModerator(ctx.env, ctx.actor, input)),
  removeModerator: authedProcedure
    .input(moderatorInput)
    .mutation(({ ctx, input }) => removeModerator(ctx.env, ctx.actor, input)),
  log: authedProcedure
    .input(moderationLogInput)
    .query(({ ctx, input }) => moderationLog(ctx.env, ctx.actor, input)),
});
