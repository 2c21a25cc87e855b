import { TRPCError } from '@trpc/server';
import { chatHistory, pullEvents, sendMessage } from '../domain/chat';
import { pullColumns } from '../domain/chat-pull-columns';
import { reactionHistory } from '../domain/reaction-history';
import { react, reactionsOf } from '../domain/reactions';
import { ChatEventSubscription } from '../realtime/chat-subscription';
import {
  eventsInput,
  historyInput,
  messageOfLiveInput,
  pullColumnsInput,
  pullInput,
  reactInput,
  reactionHistoryInput,
  sendInput,
} from './inputs';
import { authedProcedure, router, toTrpcError } from './trpc';

export const chatRouter = router({
  send: authedProcedure.input(sendInput).mutation(({ ctx, input }) => sendMessage(ctx.env, ctx.actor, input)),
  /** A reaction given, taken back or toggled (issue 16): answers the message with its new counts. */
  react: authedProcedure.input(reactInput).mutation(({ ctx, input }) => react(ctx.env, ctx.actor, input)),
  /** Who gave a message's standing reactions (names on hover). */
  reactions: authedProcedure
    .input(messageOfLiveInput)
    .query(({ ctx, input }) => reactionsOf(ctx.env, ctx.actor, input)),
  /** The live's reactions with when each was given and taken back: replay at any moment, names offline. */
  reactionHistory: authedProcedure
    .input(reactionHistoryInput)
    .query(({ ctx, input }) => reactionHistory(ctx.env, ctx.actor, input)),
  history: authedProcedure
    .input(historyInput)
    .query(({ ctx, input }) => chatHistory(ctx.env, ctx.actor, input)),
  pull: authedProcedure.input(pullInput).query(({ ctx, input }) => pullEvents(ctx.env, ctx.actor, input)),
  /** The same changes as `pull`, column by column, in pages of up to 20,000: what the host's sync uses. */
  pullColumns: authedProcedure.input(pullColumnsInput).query(({ ctx, input }) => {
    // A server started without the capability (an older server's behaviour, for compatibility tests) lacks it.
    if (!ctx.protocol.capabilities.includes('pullColumns'))
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No procedure found on path "chat.pullColumns"' });
    return pullColumns(ctx.env, ctx.actor, input);
  }),
  // Over the WebSocket, the handler serves the returned subscription itself (realtime/ws-handler.ts).
  events: authedProcedure
    .input(eventsInput)
    .subscription(
      ({ ctx, input, signal }) =>
        new ChatEventSubscription(
          ctx,
          ctx.actor,
          { postId: input.postId, lastEventId: input.lastEventId ? Number(input.lastEventId) : null },
          signal,
          toTrpcError,
        ),
    ),
});
