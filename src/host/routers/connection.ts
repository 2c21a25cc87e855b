import { TRPCError } from '@trpc/server';
import { connectionChoiceSchema } from '../server-link/link';
import { publicProcedure, router } from './trpc';

/** Which chat server the studio uses, and how the link to it is doing. */
export const connectionRouter = router({
  status: publicProcedure.query(({ ctx }) => ctx.host.status.get()),
  onStatus: publicProcedure.subscription(async function* ({ ctx, signal }) {
    yield* ctx.host.status.watch(signal);
  }),
  choose: publicProcedure.input(connectionChoiceSchema).mutation(async ({ ctx, input }) => {
    try {
      await ctx.host.link.choose(input);
    } catch (error) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: (error as Error).message, cause: error });
    }
    return ctx.host.status.get();
  }),
});
