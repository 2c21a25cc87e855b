import { z } from 'zod';
import { UI_LANGUAGES } from '../../shared/ui-language';
import { publicProcedure, router } from './trpc';

/** Facts about the running host that the renderer shows (About, Settings) and tests wait on. */
export const systemRouter = router({
  info: publicProcedure.query(({ ctx }) => ({
    version: ctx.host.version,
    dataDir: ctx.host.dataDir,
    transport: ctx.transport,
  })),
  /** The renderer's language switch tells the host, which remembers it; the Electron menu follows. */
  setLanguage: publicProcedure
    .input(z.object({ language: z.enum(UI_LANGUAGES) }))
    .mutation(({ ctx, input }) => {
      ctx.host.language.set(input.language);
      return { language: input.language };
    }),
});
