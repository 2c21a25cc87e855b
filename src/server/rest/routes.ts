import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  contentSchema,
  createLiveInputSchema,
  liveStatusSchema,
  loginInputSchema,
  type Message,
  registerInputSchema,
  type RestMessage,
} from '../../shared/wire';
import { sendMessage } from '../domain/chat';
import { pageMessages } from '../domain/chat-pages';
import type { Actor, DomainEnv } from '../domain/env';
import { createLive, endLive, pageLives, startLive } from '../domain/lives';
import { refuse } from '../domain/refusal';
import { login, register } from '../domain/users';
import { MODERATION_ROUTES } from './moderation-routes';
import { pageLink, parseHint, parsePage, parsePageSize } from './pagination';
import { validate } from './validate';

export type RestRequest = {
  env: DomainEnv;
  /** Null only on the routes that do not require a sign-in. */
  actor: Actor | null;
  url: URL;
  /** Path parameters, numeric (non-numeric ids never reach a handler: 404). */
  ids: number[];
  readBody: () => Promise<Record<string, unknown>>;
  /** The request announced a body (content-length or chunked): optional bodies are read only then. */
  hasBody: boolean;
};

/** JSON unless `contentType` says otherwise (then `body` is the text to send as is); 204 sends nothing. */
export type RestResult = {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
};

export type Route = {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  /** Routes that anyone may call (sign-up, sign-in). */
  anonymous?: boolean;
  handle: (request: RestRequest) => Promise<RestResult>;
};

const sendBodySchema = z.object({ content: contentSchema, client_id: z.string().uuid().optional() });
const ID = '([^/]+)';

export function toRestMessage(message: Message): RestMessage {
  return { id: message.id, content: message.content, timestamp: message.timestamp, author: message.author };
}

/** The seed-compatible routes (design §4), trailing slashes included; moderation's live in their own file. */
export const REST_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/auth\/register\/$/,
    anonymous: true,
    handle: async ({ env, readBody }) => ({
      status: 201,
      body: await register(env, validate(registerInputSchema, await readBody())),
    }),
  },
  {
    method: 'POST',
    pattern: /^\/api\/auth\/login\/$/,
    anonymous: true,
    handle: async ({ env, readBody }) => ({
      status: 200,
      body: await login(env, validate(loginInputSchema, await readBody())),
    }),
  },
  {
    method: 'POST',
    pattern: /^\/api\/posts\/live\/$/,
    handle: async ({ env, actor, readBody }) => ({
      status: 201,
      body: await createLive(env, actor!, validate(createLiveInputSchema, await readBody())),
    }),
  },
  {
    method: 'GET',
    pattern: /^\/api\/posts\/live\/$/,
    handle: async ({ env, url }) => {
      const rawStatus = url.searchParams.get('status');
      const status = rawStatus === null ? null : liveStatusSchema.safeParse(rawStatus);
      if (status && !status.success)
        refuse('invalid_input', `Select a valid status: ${liveStatusSchema.options.join(', ')}.`, {
          errors: { status: [`"${rawStatus}" is not a valid choice.`] },
        });
      const size = parsePageSize(url.searchParams.get('page_size'));
      const requested = parsePage(url.searchParams.get('page'));
      const first = await pageLives(env, status?.data ?? null, 0, 0);
      const lastPage = Math.max(1, Math.ceil(first.count / size));
      const page = requested === 'last' ? lastPage : requested;
      if (page > lastPage) refuse('not_found', 'Invalid page.');
      const { count, lives } = await pageLives(env, status?.data ?? null, (page - 1) * size, size);
      const link = (n: number) =>
        pageLink(url, { ...Object.fromEntries(url.searchParams), page: n, page_size: size });
      return {
        status: 200,
        body: {
          count,
          next: page < lastPage ? link(page + 1) : null,
          previous: page > 1 ? link(page - 1) : null,
          results: lives,
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/posts/live/${ID}/start/$`),
    handle: async ({ env, actor, ids }) => ({ status: 200, body: await startLive(env, actor!, ids[0]!) }),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/posts/live/${ID}/end/$`),
    handle: async ({ env, actor, ids }) => ({ status: 200, body: await endLive(env, actor!, ids[0]!) }),
  },
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
      const size = parsePageSize(url.searchParams.get('page_size'));
      const result = await pageMessages(env, actor!, {
        postId: ids[0]!,
        page: parsePage(url.searchParams.get('page')),
        size,
        after: parseHint(url.searchParams.get('after')),
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
      return {
        status: 200,
        body: { count: result.count, next, previous, results: messages },
      };
    },
  },
  ...MODERATION_ROUTES,
];
