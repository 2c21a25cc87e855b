import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  type TRPCClient,
  wsLink,
} from '@trpc/client';
import WebSocket from 'ws';
import type { AppRouter } from '../routers/root';

/**
 * A tRPC client wired as the desktop host wires it (contract): HTTP batch for queries and mutations, a WebSocket
 * on the same port for subscriptions, the token in `Authorization` and in `connectionParams`.
 */
export function chatClient(baseUrl: string, token: string | null = null) {
  const wsClient = createWSClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: () => ({ token: token ?? '' }),
    retryDelayMs: () => 50,
    lazy: { enabled: true, closeMs: 1_000 },
  });
  const client: TRPCClient<AppRouter> = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({
          url: `${baseUrl}/trpc`,
          headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        }),
      }),
    ],
  });
  return { client, close: () => wsClient.close() };
}
