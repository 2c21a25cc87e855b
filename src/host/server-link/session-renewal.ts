import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../../server/routers/root';
import type { AccountsStore } from '../db/accounts-store';
import type { Credentials } from './renewing-fetch';

/** One renewal at a time per server: a burst of expired calls shares it instead of minting a token each. */
const inFlight = new Map<string, Promise<string | null>>();

async function renewAccount(accounts: AccountsStore, serverKey: string, url: string): Promise<string | null> {
  const account = accounts.get(serverKey);
  if (!account?.refresh) return null;
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url.replace(/\/+$/, '')}/trpc`,
        fetch: (input, init) =>
          fetch(input, { ...(init as RequestInit), signal: AbortSignal.timeout(15_000) }),
      }),
    ],
  });
  try {
    const { token } = await client.auth.refresh.mutate({ refresh: account.refresh });
    // Saved only if the account is still the one we renewed (not signed out or switched meanwhile).
    const now = accounts.get(serverKey);
    if (now?.refresh === account.refresh) accounts.save(serverKey, { ...now, token });
    return token;
  } catch {
    // Refused (expired, revoked) or unreachable: the caller's 401 stands; the studio asks to sign in.
    return null;
  }
}

/**
 * The credentials of the account signed in to one server, read from the store at each request (so a renewed
 * token is used at once by every client), renewed through `auth.refresh` when the server says it expired.
 */
export function accountCredentials(accounts: AccountsStore, serverKey: string, url: string): Credentials {
  return {
    token: () => accounts.get(serverKey)?.token ?? null,
    renew: () => {
      let running = inFlight.get(serverKey);
      if (!running) {
        running = renewAccount(accounts, serverKey, url).finally(() => inFlight.delete(serverKey));
        inFlight.set(serverKey, running);
      }
      return running;
    },
  };
}
