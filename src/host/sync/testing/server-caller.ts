import { createTRPCUntypedClient, httpBatchLink } from '@trpc/client';

/** A plain HTTP tRPC client to the chat server, for what tests do "on the server side" (moderation, checks). */
export function serverCaller(url: string, token: string) {
  const client = createTRPCUntypedClient({
    links: [httpBatchLink({ url: `${url}/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) })],
  });
  return {
    query: <T>(path: string, input?: unknown) => client.query(path, input) as Promise<T>,
    mutate: <T>(path: string, input?: unknown) => client.mutation(path, input) as Promise<T>,
  };
}
