import { randomUUID } from 'node:crypto';
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  type TRPCClient,
  TRPCClientError,
  wsLink,
} from '@trpc/client';
import WebSocket from 'ws';
import type { ChatEvent } from '../../../shared/wire';
import type { AppRouter } from '../../routers/root';

/**
 * The client side of the fault tests and the cluster bench: real tRPC clients wired as the desktop host wires
 * them (HTTP batch for mutations, one WebSocket per client for subscriptions, resuming with tracked ids), a
 * steady sender that retries like the host's outbox (same clientId until the server answers), and subscribers
 * that record every message they receive so a test can check "every accepted message exactly once".
 */
export type Client = { client: TRPCClient<AppRouter>; close(): void; reconnects: () => number };

/** `url` may be a function: each (re)connection asks it again, so a client can fail over between nodes. */
export function connect(baseUrl: string | (() => string), token: string | null = null): Client {
  const base = typeof baseUrl === 'function' ? baseUrl : () => baseUrl;
  let opens = 0;
  const wsClient = createWSClient({
    url: () => `${base().replace(/^http/, 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: () => ({ token: token ?? '' }),
    // Reconnect fast but not in a hot loop while a node or Postgres is down.
    retryDelayMs: (attempt) => Math.min(50 * 2 ** attempt, 1000),
    onOpen: () => {
      opens++;
    },
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({
          url: 'http://chat.invalid/trpc',
          // The base is looked up per request too, so HTTP fails over with the WebSocket.
          fetch: (url, init) => fetch(String(url).replace('http://chat.invalid', base()), init),
          headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        }),
      }),
    ],
  });
  return { client, close: () => wsClient.close(), reconnects: () => Math.max(0, opens - 1) };
}

export async function signUp(baseUrl: string | (() => string), first: string) {
  const anonymous = connect(baseUrl);
  const email = `${first.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;
  const { token, user } = await anonymous.client.auth.register.mutate({
    email,
    password: 'long enough password',
    first_name: first,
    last_name: 'Load',
  });
  anonymous.close();
  return { ...connect(baseUrl, token), token, user };
}

/** A live, started, by a fresh host account; returns the host's client and the live's id. */
export async function startLive(baseUrl: string | (() => string), title = 'Fault test') {
  const host = await signUp(baseUrl, 'Host');
  const live = await host.client.lives.create.mutate({ title });
  await host.client.lives.start.mutate({ postId: live.id });
  return { host, postId: live.id };
}

export type Subscriber = {
  /** Message ids in the order received (a duplicate would appear twice). */
  ids: number[];
  /** Receive time per message id (ms, Date.now()). */
  receivedAt: Map<number, number>;
  errors: unknown[];
  client: Client;
  stop(): void;
};

export function subscribe(client: Client, postId: number, lastEventId: number): Subscriber {
  const ids: number[] = [];
  const receivedAt = new Map<number, number>();
  const errors: unknown[] = [];
  const subscription = client.client.chat.events.subscribe(
    { postId, lastEventId: String(lastEventId) },
    {
      onData: ({ data }: { data: ChatEvent }) => {
        if (data.type !== 'message') return;
        ids.push(data.message.id);
        if (!receivedAt.has(data.message.id)) receivedAt.set(data.message.id, Date.now());
      },
      onError: (error) => errors.push(error),
    },
  );
  return {
    ids,
    receivedAt,
    errors,
    client,
    stop: () => {
      subscription.unsubscribe();
      client.close();
    },
  };
}

/** True for a refusal (4xx: the server decided), false for what the host retries (network, 5xx). */
export function isRefusal(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export type SendRecord = { clientId: string; id: number; sentAt: number; attempts: number };

/**
 * Sends `content(i)` every `intervalMs` until stopped; each message is retried with the SAME clientId until the
 * server answers (as the host's outbox does), so an outage produces retries, never duplicates.
 */
export function steadySender(
  client: Client,
  postId: number,
  options: { intervalMs: number; retryMs?: number; giveUpMs?: number },
) {
  const accepted: SendRecord[] = [];
  const refused: unknown[] = [];
  let retries = 0;
  let running = true;
  let inFlight = 0;
  const sendOne = async (i: number) => {
    const clientId = randomUUID();
    const sentAt = Date.now();
    const deadline = sentAt + (options.giveUpMs ?? 60_000);
    for (let attempt = 1; ; attempt++) {
      try {
        const message = await client.client.chat.send.mutate({
          postId,
          clientId,
          content: `m${i} ${sentAt}`,
        });
        accepted.push({ clientId, id: message.id, sentAt, attempts: attempt });
        return;
      } catch (error) {
        if (isRefusal(error)) {
          refused.push(error);
          return;
        }
        if (Date.now() > deadline)
          throw new Error(`message ${i} still failing after ${attempt} attempts: ${error}`);
        retries++;
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 200));
      }
    }
  };
  const pending: Promise<void>[] = [];
  const loop = (async () => {
    for (let i = 0; running; i++) {
      inFlight++;
      pending.push(sendOne(i).finally(() => inFlight--));
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
  })();
  return {
    accepted,
    refused,
    retries: () => retries,
    inFlight: () => inFlight,
    /** Stops sending and waits for every message still being retried. */
    async stop() {
      running = false;
      await loop;
      await Promise.all(pending);
    },
  };
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether a subscriber received exactly the accepted messages, each once (the fault tests' verdict). */
export function exactlyOnce(subscriber: Subscriber, acceptedIds: number[]) {
  const counts = new Map<number, number>();
  for (const id of subscriber.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const missing = acceptedIds.filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  const unexpected = [...counts.keys()].filter((id) => !acceptedIds.includes(id));
  return { missing, duplicated, unexpected };
}
