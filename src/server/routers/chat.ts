import { chatHistory, pullEvents, sendMessage } from '../domain/chat';
import { chatEventStream } from '../realtime/event-stream';
import { eventsInput, historyInput, pullInput, sendInput } from './inputs';
import { authedProcedure, router, toTrpcError } from './trpc';

export const chatRouter = router({
  send: authedProcedure.input(sendInput).mutation(({ ctx, input }) => sendMessage(ctx.env, ctx.actor, input)),
  history: authedProcedure
    .input(historyInput)
    .query(({ ctx, input }) => chatHistory(ctx.env, ctx.actor, input)),
  pull: authedProcedure.input(pullInput).query(({ ctx, input }) => pullEvents(ctx.env, ctx.actor, input)),
  events: authedProcedure.input(eventsInput).subscription(async function* ({ ctx, input, signal }) {
    try {
      yield* chatEventStream(ctx, ctx.actor, {
        postId: input.postId,
        lastEventId: input.lastEventId ? Number(input.lastEventId) : null,
        signal,
      });
    } catch (error) {
      throw toTrpcError(error);
    }
  }),
});
