import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isEmojiOnly, isSingleEmoji } from '../../shared/emoji';
import { contentSchema } from '../../shared/wire';
import { sendMessage } from '../domain/chat';
import { historyJsonChunks, openHistory } from '../domain/chat-history';
import { pageMessages } from '../domain/chat-pages';
import { react, reactionsOf } from '../domain/reactions';
import { pageLink, parseHint, parsePage, parsePageSize } from './pagination';
import { type Route, toRestMessage } from './routes';
import { validate } from './validate';

const ID = '([^/]+)';

/**
 * `{content, type?, reply_to?}` as the web client sends it. `emoji` holds emoji only (checked by Unicode
 * properties); `reaction` is one emoji that toggles the caller's reaction on the message `reply_to` names.
 */
const sendBodySchema = z
  .object({
    content: contentSchema,
    type: z.enum(['text', 'emoji', 'reaction']).default('text'),
    reply_to: z.number().int().positive().nullable().default(null),
    client_id: z.string().uuid().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.type === 'emoji' && !isEmojiOnly(input.content))
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'An emoji message holds emoji only.' });
    if (input.type === 'reaction' && !isSingleEmoji(input.content))
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'A reaction is one emoji.' });
    if (input.type === 'reaction' && input.reply_to === null)
      ctx.addIssue({
        code: 'custom',
        path: ['reply_to'],
        message: 'A reaction names the message it reacts to.',
      });
  });

/** Parameters that ask for our DRF page envelope instead of the web client's plain array. */
const PAGE_PARAMETERS = ['page', 'page_size', 'after', 'before', 'cursor'];

export const CHAT_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/api/posts/live/${ID}/chat/$`),
    handle: async ({ env, actor, ids, readBody }) => {
      const input = validate(sendBodySchema, await readBody());
      if (input.type === 'reaction') {
        // Not a new message: the reacted-to message, with its counts as they now stand.
        const reacted = await react(env, actor!, {
          postId: ids[0]!,
          messageId: input.reply_to!,
          emoji: input.content,
        });
        return { status: 200, body: toRestMessage(reacted) };
      }
      const message = await sendMessage(env, actor!, {
        postId: ids[0]!,
        clientId: input.client_id ?? randomUUID(),
        content: input.content,
        type: input.type,
        replyTo: input.reply_to,
      });
      return { status: 201, body: toRestMessage(message) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/posts/live/${ID}/chat/messages/$`),
    handle: async ({ env, actor, ids, url }) => {
      if (!PAGE_PARAMETERS.some((name) => url.searchParams.has(name))) {
        // The web client's call: the whole history as one array, streamed batch by batch.
        const batches = await openHistory(env, actor!, ids[0]!);
        return { status: 200, stream: historyJsonChunks(batches) };
      }
      const size = parsePageSize(url.searchParams.get('page_size'));
      const result = await pageMessages(env, actor!, {
        postId: ids[0]!,
        page: parsePage(url.searchParams.get('page')),
        size,
        after: parseHint(url.searchParams.get('after') ?? url.searchParams.get('cursor')),
        before: parseHint(url.searchParams.get('before')),
      });
      const { page, lastPage, messages } = result;
      // next/previous carry the page number (DRF clients read it) and a keyset hint (what makes them cheap).
      const next =
        page < lastPage && messages.length > 0
          ? pageLink(url, { page: page + 1, page_size: size, after: messages[messages.length - 1]!.id })
          : null;
      const previous =
        page > 1
          ? pageLink(
              url,
              messages.length > 0
                ? { page: page - 1, page_size: size, before: messages[0]!.id }
                : { page: page - 1, page_size: size },
            )
          : null;
      return { status: 200, body: { count: result.count, next, previous, results: messages } };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/posts/live/${ID}/chat/messages/${ID}/reactions/$`),
    // Who reacted (names on hover): ours, beside the web client's routes.
    handle: async ({ env, actor, ids }) => ({
      status: 200,
      body: await reactionsOf(env, actor!, { postId: ids[0]!, messageId: ids[1]! }),
    }),
  },
];
