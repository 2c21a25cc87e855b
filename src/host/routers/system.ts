import { publicProcedure, router } from './trpc';

/** Facts about the running host that the renderer shows (About, Settings) and tests wait on. */
export const systemRouter = router({
  info: publicProcedure.query(({ ctx }) => ({
    version: ctx.host.version,
    dataDir: ctx.host.dataDir,
    transport: ctx.transport,
  })),
});
