import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isEmojiOnly } from '../../shared/emoji';
import { contentSchema } from '../../shared/wire';
import { sendMessage } from '../domain/chat';
import { historyJsonChunks, openHistory } from '../domain/chat-history';
import { pageMessages } from '../domain/chat-pages';
import { pageLink, parseHint, parsePage, parsePageSize } from './pagination';
import { type Route, toRestMessage } from './routes';
import { validate } from './validate';

const ID = '([^/]+)';

/**
 * `{content, type?}` as the web client sends it. `emoji` and `reaction` hold emoji only (checked by Unicode
 * properties). The type is checked, not yet kept: every message is stored and shown as text.
 */
const sendBodySchema = z
  .object({
    content: contentSchema,
    type: z.enum(['text', 'emoji', 'reaction']).default('text'),
    client_id: z.string().uuid().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.type !== 'text' && !isEmojiOnly(input.content))
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: `A ${input.type} message holds emoji only.`,
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
      const message = await sendMessage(env, actor!, {
        postId: ids[0]!,
        clientId: input.client_id ?? randomUUID(),
        content: input.content,
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
];
