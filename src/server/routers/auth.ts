import { loginInputSchema, registerInputSchema } from '../../shared/wire';
import { login, logout, register } from '../domain/users';
import { authedProcedure, publicProcedure, router } from './trpc';

export const authRouter = router({
  register: publicProcedure.input(registerInputSchema).mutation(({ ctx, input }) => register(ctx.env, input)),
  login: publicProcedure.input(loginInputSchema).mutation(({ ctx, input }) => login(ctx.env, input)),
  me: authedProcedure.query(({ ctx }) => ctx.actor),
  logout: authedProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.env, ctx.token!);
    return { ok: true as const };
  }),
});
