import { z } from 'zod';
import { DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH } from '../../shared/limits';
import { createLiveInputSchema, liveStatusSchema } from '../../shared/wire';
import { goLive, pageLivePosts, stopLive } from '../domain/live-posts';
import { createLive, endLive, pageLives, startLive } from '../domain/lives';
import { refuse } from '../domain/refusal';
import { drfPage } from './pagination';
import type { Route } from './routes';
import { validate } from './validate';

const ID = '([^/]+)';

/** The web client's start form; its defaults are the backend's. */
const goLiveBodySchema = z.object({
  content: z.string().trim().max(DESCRIPTION_MAX_LENGTH).default('Live en cours'),
  title: z.string().trim().max(TITLE_MAX_LENGTH).optional(),
  description: z.string().trim().max(DESCRIPTION_MAX_LENGTH).default('Live streaming'),
});

const stopBodySchema = z.object({
  video_data: z
    .object({
      url: z.string().max(2000).optional(),
      duration: z.number().nonnegative().max(1e7).optional(),
      size: z.number().int().nonnegative().optional(),
    })
    .optional()
    .nullable(),
});

const emptyPage = { count: 0, next: null, previous: null, results: [] };

/** Lives: CommuniConnect's start/stop and feed, and our first create/start/end/list beside them. */
export const LIVE_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/posts\/live\/start\/$/,
    handle: async ({ env, actor, readBody, hasBody }) => {
      const input = validate(goLiveBodySchema, hasBody ? await readBody() : {});
      const title = input.title || input.content || 'Live en cours';
      const { live, streamKey } = await goLive(env, actor!, { ...input, content: input.content, title });
      return {
        status: 201,
        body: {
          live_id: live.id,
          post_id: live.id,
          stream_key: streamKey,
          message: 'Live démarré avec succès',
          live,
        },
      };
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/api/posts/live/${ID}/stop/$`),
    handle: async ({ env, actor, ids, readBody, hasBody }) => {
      const input = validate(stopBodySchema, hasBody ? await readBody() : {});
      const live = await stopLive(env, actor!, ids[0]!, input.video_data ?? undefined);
      return { status: 200, body: { message: 'Live arrêté avec succès', live } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/posts\/$/,
    handle: async ({ env, url }) => {
      const type = url.searchParams.get('type');
      const isLive = url.searchParams.get('is_live_post');
      if (isLive !== null && !['true', 'false', '1', '0', 'True', 'False'].includes(isLive))
        refuse('invalid_input', 'is_live_post: Must be a valid boolean.', {
          errors: { is_live_post: ['Must be a valid boolean.'] },
        });
      // Every post here is a live post of the `info` type: any other filter is an empty page.
      if ((type !== null && type !== 'info') || isLive === 'false' || isLive === '0' || isLive === 'False')
        return { status: 200, body: emptyPage };
      const body = await drfPage(url, async (offset, limit) => {
        const { count, posts } = await pageLivePosts(env, offset, limit);
        return { count, results: posts };
      });
      return { status: 200, body };
    },
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
      const body = await drfPage(url, async (offset, limit) => {
        const { count, lives } = await pageLives(env, status?.data ?? null, offset, limit);
        return { count, results: lives };
      });
      return { status: 200, body };
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
];
