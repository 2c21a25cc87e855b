/** How a client to the chat server signs its requests: the current access token, and how to get a new one. */
export type Credentials = {
  token(): string | null;
  /** A new access token (from the sign-in's refresh token), or null when the user must sign in again. */
  renew?: () => Promise<string | null>;
};

type Fetch = (url: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The fetch for the host's tRPC links: signs each request with the current access token, gives up after
 * `timeoutMs` (a server that accepts and then hangs must not freeze an outbox), and on a 401 — the access
 * token expired, as they do after an hour — renews it once and sends the same request again. The user is
 * asked to sign in only when the refresh token itself is refused.
 */
export function createRenewingFetch(credentials: Credentials, timeoutMs: number): Fetch {
  const send = (url: string | URL | Request, init: RequestInit | undefined, token: string | null) => {
    const headers = new Headers(init?.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    else headers.delete('authorization');
    const timeout = AbortSignal.timeout(timeoutMs);
    return fetch(url, {
      ...init,
      headers,
      signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
    });
  };
  return async (url, init) => {
    const token = credentials.token();
    const response = await send(url, init, token);
    if (response.status !== 401 || !token || !credentials.renew) return response;
    const renewed = await credentials.renew();
    if (!renewed || renewed === token) return response;
    return send(url, init, renewed);
  };
}
