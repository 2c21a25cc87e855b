import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { createLiveInputSchema, type Live } from '../../shared/wire';
import type { Host } from '../host';
import type { CachedLive } from '../db/lives-store';
import type { ChatServerApi } from '../sync/server-api';
import { isUnreachable, toTrpcError } from '../server-link/to-trpc-error';
import { publicProcedure, router } from './trpc';

const liveIdInput = z.object({ liveId: z.number().int().positive() });

async function withServer<T>(host: Host, call: (api: ChatServerApi, serverKey: string) => Promise<T>) {
  let link: ReturnType<Host['link']['api']>;
  try {
    link = host.link.api();
  } catch (error) {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: (error as Error).message });
  }
  try {
    return await call(link.api, link.target.serverKey);
  } finally {
    link.api.close();
  }
}

/** Lives, proxied to the chat server and cached, so that the studio can list and open them offline. */
export const livesRouter = router({
  list: publicProcedure.query(({ ctx }) =>
    withServer(ctx.host, async (api, serverKey): Promise<CachedLive[]> => {
      try {
        for (const live of await api.listLives({})) ctx.host.lives.save(serverKey, live);
      } catch (error) {
        if (!isUnreachable(error)) throw toTrpcError(error);
        // Offline: what we saw last time.
      }
      return ctx.host.lives.list(serverKey);
    }),
  ),
  get: publicProcedure.input(liveIdInput).query(({ ctx, input }) =>
    withServer(ctx.host, async (api, serverKey) => {
      try {
        const live = await api.getLive(input.liveId);
        ctx.host.lives.save(serverKey, live, live.role);
        return live;
      } catch (error) {
        const cached = isUnreachable(error) ? ctx.host.lives.get(serverKey, input.liveId) : null;
        if (cached) return { ...cached, role: cached.role ?? 'viewer' };
        throw toTrpcError(error);
      }
    }),
  ),
  create: publicProcedure.input(createLiveInputSchema).mutation(({ ctx, input }) =>
    withServer(ctx.host, async (api, serverKey) => {
      const live = await api.createLive(input).catch((error) => {
        throw toTrpcError(error);
      });
      ctx.host.lives.save(serverKey, live, 'host');
      ctx.host.sync.follow(live.id);
      return { ...live, role: 'host' as const };
    }),
  ),
  start: publicProcedure
    .input(liveIdInput)
    .mutation(({ ctx, input }) => changeStatus(ctx.host, (api) => api.startLive(input.liveId))),
  end: publicProcedure
    .input(liveIdInput)
    .mutation(({ ctx, input }) => changeStatus(ctx.host, (api) => api.endLive(input.liveId))),
});

function changeStatus(host: Host, call: (api: ChatServerApi) => Promise<Live>) {
  return withServer(host, async (api, serverKey) => {
    const live = await call(api).catch((error) => {
      throw toTrpcError(error);
    });
    host.lives.save(serverKey, live);
    return live;
  });
}
