import { loginInputSchema, registerInputSchema } from '../../shared/wire';
import type { Session } from '../sync/server-api';
import type { Host } from '../host';
import { toTrpcError } from '../server-link/to-trpc-error';
import { publicProcedure, router } from './trpc';

async function signIn(host: Host, call: (api: ReturnType<Host['link']['api']>['api']) => Promise<Session>) {
  const { api, target } = host.link.api();
  let session: Session;
  try {
    session = await call(api);
  } catch (error) {
    throw toTrpcError(error);
  } finally {
    api.close();
  }
  host.accounts.save(target.serverKey, session);
  // The engine was waiting for an account: sync now, with the new token.
  host.sync.reconnect();
  return session.user;
}

/** The account on the chosen server: one per server, its token kept in the host's SQLite. */
export const accountRouter = router({
  current: publicProcedure.query(({ ctx }) => {
    const target = ctx.host.link.target;
    return target ? (ctx.host.accounts.get(target.serverKey)?.user ?? null) : null;
  }),
  register: publicProcedure
    .input(registerInputSchema)
    .mutation(({ ctx, input }) => signIn(ctx.host, (api) => api.register(input))),
  login: publicProcedure
    .input(loginInputSchema)
    .mutation(({ ctx, input }) => signIn(ctx.host, (api) => api.login(input))),
  logout: publicProcedure.mutation(async ({ ctx }) => {
    const target = ctx.host.link.target;
    if (!target || !ctx.host.accounts.get(target.serverKey)) return null;
    const { api } = ctx.host.link.api();
    // Revoke the token on the server when it can be reached; forget it here in any case.
    await api.logout().catch(() => undefined);
    api.close();
    ctx.host.accounts.remove(target.serverKey);
    ctx.host.sync.reconnect();
    return null;
  }),
});
