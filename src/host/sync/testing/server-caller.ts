import { createTRPCUntypedClient, httpBatchLink } from '@trpc/client';

/** undici's codes for a connection that broke under a request: closed by the other side, reset, broken pipe. */
const CONNECTION_LOST = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** fetch failed before any answer because its connection was lost (not refused, not timed out, not a 5xx). */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return error instanceof TypeError && typeof code === 'string' && CONNECTION_LOST.has(code);
}

/**
 * fetch, sent once more on a new connection when the one it was written on turns out to be gone. Node's fetch
 * keeps the connection to the server alive between calls; a test that restarts the server can call again before
 * this process has read the old server's close, and the request goes out on a dead socket ("fetch failed: other
 * side closed", nothing answered). A server that closed the connection did not take the request, so it is sent
 * again, as browsers do for a request lost on a reused connection; what tests call here (moderation, pulls, sends
 * with a client id) is idempotent besides, so even one the old connection did deliver changes nothing twice.
 */
export async function fetchRetryingLostConnections(
  url: string | URL | Request,
  init?: RequestInit,
  attempts = 3,
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= attempts || !isConnectionLost(error)) throw error;
    }
  }
}

/**
 * A plain HTTP tRPC client to the chat server, for what tests do "on the server side" (moderation, checks).
 * A call whose connection is lost under it is sent again (fetchRetryingLostConnections).
 */
export function serverCaller(url: string, token: string) {
  const client = createTRPCUntypedClient({
    links: [
      httpBatchLink({
        url: `${url}/trpc`,
        headers: () => ({ authorization: `Bearer ${token}` }),
        fetch: fetchRetryingLostConnections as never,
      }),
    ],
  });
  return {
    query: <T>(path: string, input?: unknown) => client.query(path, input) as Promise<T>,
    mutate: <T>(path: string, input?: unknown) => client.mutation(path, input) as Promise<T>,
  };
}
