import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { isEmojiOnly, isSingleEmoji } from '../../shared/emoji';
import { REACTION_MAX_LENGTH } from '../../shared/limits';
import { contentSchema } from '../../shared/wire';
import type { Host } from '../host';
import { publicProcedure, router } from './trpc';

const liveId = z.number().int().positive();
const clientIdInput = z.object({ clientId: z.string().uuid() });

function requireServerKey(host: Host): string {
  const target = host.link.target;
  if (!target) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'Choose a chat server first.' });
  return target.serverKey;
}

/** The chat server and who this user is there (without their email: what a cached message's author holds). */
function requireAuthor(host: Host, refusal: string) {
  const serverKey = requireServerKey(host);
  const account = host.accounts.get(serverKey);
  if (!account) throw new TRPCError({ code: 'UNAUTHORIZED', message: refusal });
  const { email: _email, ...author } = account.user;
  return { serverKey, author };
}

/** The chat as the cache holds it: the renderer reads and writes SQLite only; the sync engine does the rest. */
export const chatRouter = router({
  list: publicProcedure
    .input(
      z.object({
        liveId,
        limit: z.number().int().min(1).max(1000).default(200),
        /** The client_id of the oldest message already shown: the page before it. */
        before: z.string().uuid().optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const target = ctx.host.link.target;
      if (!target) return { messages: [], hasMore: false };
      // Opening a live's chat follows it: the engine keeps it synced from now on.
      ctx.host.sync.follow(input.liveId);
      return ctx.host.chat.list({ serverKey: target.serverKey, ...input });
    }),

  send: publicProcedure
    .input(
      z.object({
        liveId,
        content: contentSchema,
        /** The client id of the message this one answers (issue 16). */
        replyTo: z.string().uuid().optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { serverKey, author } = requireAuthor(ctx.host, 'Sign in to send messages.');
      const parent = input.replyTo ? ctx.host.chat.get(serverKey, input.replyTo) : null;
      if (input.replyTo && (!parent || parent.live_id !== input.liveId))
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'The answered message is not in this live.' });
      // Refused here rather than queued: a message for a live we never saw would only ever come back rejected.
      if (!ctx.host.lives.get(serverKey, input.liveId))
        throw new TRPCError({ code: 'NOT_FOUND', message: `Unknown live ${input.liveId}.` });
      const message = ctx.host.chat.enqueue({
        serverKey,
        liveId: input.liveId,
        content: input.content,
        author,
        // Emoji alone is shown large, here and in CommuniConnect's web client.
        type: isEmojiOnly(input.content) ? 'emoji' : 'text',
        replyTo: parent,
      });
      ctx.host.sync.follow(input.liveId);
      ctx.host.sync.kick();
      return message;
    }),

  /** Gives or takes back the user's reaction: shown at once, sent by the sync session (issue 16). */
  react: publicProcedure
    .input(z.object({ clientId: z.string().uuid(), emoji: z.string().min(1).max(REACTION_MAX_LENGTH) }))
    .mutation(({ ctx, input }) => {
      const { serverKey, author } = requireAuthor(ctx.host, 'Sign in to react.');
      if (!isSingleEmoji(input.emoji))
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'A reaction is one emoji.' });
      const message = ctx.host.reactions.toggle({
        serverKey,
        messageClientId: input.clientId,
        emoji: input.emoji.trim(),
        author,
      });
      if (!message) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such message here.' });
      ctx.host.sync.kick();
      return message;
    }),

  /** Who gave a message's standing reactions (names on hover), from this computer's copy: offline too. */
  reactionGivers: publicProcedure
    .input(z.object({ serverId: z.number().int().positive() }))
    .query(({ ctx, input }) => ctx.host.reactionHistory.givers(requireServerKey(ctx.host), input.serverId)),

  retry: publicProcedure.input(clientIdInput).mutation(({ ctx, input }) => {
    const message = ctx.host.chat.retry(requireServerKey(ctx.host), input.clientId);
    if (!message) throw new TRPCError({ code: 'NOT_FOUND', message: 'No rejected message with this id.' });
    ctx.host.sync.kick();
    return message;
  }),

  discard: publicProcedure.input(clientIdInput).mutation(({ ctx, input }) => {
    const message = ctx.host.chat.discard(requireServerKey(ctx.host), input.clientId);
    if (!message) throw new TRPCError({ code: 'NOT_FOUND', message: 'No rejected message with this id.' });
    ctx.host.sync.kick();
    return message;
  }),

  onChange: publicProcedure.input(z.object({ liveId })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    ctx.host.sync.follow(input.liveId);
    const serverKey = () => ctx.host.link.target?.serverKey ?? null;
    for await (const change of ctx.host.chat.changes.watch(serverKey, input.liveId, signal)) {
      yield { liveId: change.liveId, messages: change.messages };
    }
  }),
});
