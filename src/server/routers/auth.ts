import { loginInputSchema, refreshInputSchema, registerInputSchema } from '../../shared/wire';
import { login, logout, profileOf, refreshAccess, register } from '../domain/users';
import { authedProcedure, publicProcedure, router } from './trpc';

export const authRouter = router({
  register: publicProcedure.input(registerInputSchema).mutation(({ ctx, input }) => register(ctx.env, input)),
  login: publicProcedure.input(loginInputSchema).mutation(({ ctx, input }) => login(ctx.env, input)),
  /** A new access token for the refresh token of a sign-in (the studio renews its session with it). */
  refresh: publicProcedure
    .input(refreshInputSchema)
    .mutation(({ ctx, input }) => refreshAccess(ctx.env, input.refresh)),
  me: authedProcedure.query(({ ctx }) => profileOf(ctx.env, ctx.actor)),
  logout: authedProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.env, ctx.token!);
    return { ok: true as const };
  }),
});
