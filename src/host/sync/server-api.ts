import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  TRPCClientError,
  wsLink,
} from '@trpc/client';
import WebSocket from 'ws';
import type { AppRouter } from '../../server/routers/root';
import {
  type ServerProtocol,
  serverProtocolSchema,
  UNANNOUNCED_SERVER_PROTOCOL,
} from '../../shared/protocol';
import {
  type ChatEvent,
  type Live,
  type Message,
  type PullColumnsPage,
  pullColumnsPageSchema,
  type ReactionHistory,
  reactionHistorySchema,
} from '../../shared/wire';
import type { AccountUser } from '../db/accounts-store';
import { createRenewingFetch } from '../server-link/renewing-fetch';
import type { LiveRole } from '../db/lives-store';
import type { PullEventsPage } from './pull-fallback';

/** What the host asks of the chat server (CONTRACTS.md "Chat server tRPC"), in the host's words. */
/** A sign-in: the access token, the refresh token that renews it (absent from older servers), the account. */
export type Session = { token: string; refresh?: string | undefined; user: AccountUser };

export type EventsHandlers = {
  onEvent(event: ChatEvent): void;
  onError(error: unknown): void;
};

export type ChatServerApi = {
  time(): Promise<{ epochMs: number }>;
  /** What the server speaks (src/shared/protocol.ts); a server from before the announcement: version 1, bare. */
  protocol(): Promise<ServerProtocol>;
  register(input: {
    email: string;
    password: string;
    first_name: string;
    last_name: string;
  }): Promise<Session>;
  login(input: { email: string; password: string }): Promise<Session>;
  refresh(input: { refresh: string }): Promise<{ token: string }>;
  me(): Promise<AccountUser>;
  logout(): Promise<void>;
  listLives(input: { status?: Live['status']; mine?: boolean }): Promise<Live[]>;
  createLive(input: { title: string; description?: string }): Promise<Live>;
  startLive(postId: number): Promise<Live>;
  endLive(postId: number): Promise<Live>;
  getLive(postId: number): Promise<Live & { role: LiveRole }>;
  send(input: {
    postId: number;
    clientId: string;
    content: string;
    type?: 'text' | 'emoji';
    replyTo?: number | null;
  }): Promise<Message>;
  /** Gives (`on`) or takes back one reaction: answers the message with its counts. */
  react(input: { postId: number; messageId: number; emoji: string; on: boolean }): Promise<Message>;
  /** The live's reactions with their times, from `since` (issue 16); checked on arrival. */
  reactionHistory(input: { postId: number; since?: string; afterId?: number }): Promise<ReactionHistory>;
  /** One page of changes after `cursor`, one event each: every server has it (the fallback for `pullColumns`). */
  pull(input: {
    postId: number;
    cursor: number;
    limit?: number;
    withTotal?: boolean;
  }): Promise<PullEventsPage>;
  /** One page of changes after `cursor`, column by column (wire.ts pullColumnsPageSchema), checked on arrival. */
  pullColumns(input: {
    postId: number;
    cursor: number;
    limit?: number;
    withTotal?: boolean;
  }): Promise<PullColumnsPage>;
  /** Backlog after `lastEventId`, then live events; ends only when unsubscribed or on error. */
  events(input: { postId: number; lastEventId: string }, handlers: EventsHandlers): { unsubscribe(): void };
  /** Closes the socket and stops its own reconnects: the sync engine decides when to try again. */
  close(): void;
};

export type ServerApiOptions = {
  url: string;
  token: () => string | null;
  /** Renews an expired access token (server-link/session-renewal.ts); absent: a 401 stands. */
  renew?: () => Promise<string | null>;
  /** The socket closed (server gone, network down): the engine ends this session. */
  onSocketClosed?: () => void;
  requestTimeoutMs?: number;
};

/**
 * The tRPC client to the chat server: HTTP (batched) for queries and mutations, one WebSocket for the chat
 * subscriptions. Auth rides in the Authorization header and in the socket's connectionParams.
 */
export function createServerApi(options: ServerApiOptions): ChatServerApi {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.requestTimeoutMs ?? 20_000;
  let closed = false;
  const wsClient = createWSClient({
    url: `${base.replace(/^http/, 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: () => {
      const token = options.token();
      return token ? { token } : {};
    },
    lazy: { enabled: true, closeMs: 2 ** 31 - 1 },
    // One attempt per session: a lost socket ends the session and the engine reconnects with its own backoff.
    retryDelayMs: () => 2 ** 31 - 1,
    onClose: () => {
      if (!closed) options.onSocketClosed?.();
    },
  });
  // Typed by the server's router: a change of its contract breaks the host's typecheck, not a user's chat.
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({
          url: `${base}/trpc`,
          maxItems: 20,
          // Signs each call, times out a server that hangs, renews an expired token once (renewing-fetch.ts).
          fetch: createRenewingFetch(
            { token: options.token, ...(options.renew ? { renew: options.renew } : {}) },
            timeoutMs,
          ) as never,
        }),
      }),
    ],
  });
  return {
    time: () => client.time.query(),
    protocol: async () => {
      let answer: unknown;
      try {
        answer = await client.protocol.query();
      } catch (error) {
        // tRPC's answer for a path the server does not have: it predates the announcement.
        if (
          error instanceof TRPCClientError &&
          (error.data as { code?: unknown } | undefined)?.code === 'NOT_FOUND'
        )
          return UNANNOUNCED_SERVER_PROTOCOL;
        throw error;
      }
      const parsed = serverProtocolSchema.safeParse(answer);
      if (parsed.success) return parsed.data;
      throw new Error(
        'The chat server describes its protocol in a way this studio cannot read: update the studio.',
      );
    },
    register: (input) => client.auth.register.mutate(input),
    login: (input) => client.auth.login.mutate(input),
    refresh: (input) => client.auth.refresh.mutate(input),
    me: () => client.auth.me.query(),
    logout: async () => {
      await client.auth.logout.mutate();
    },
    listLives: (input) => client.lives.list.query(input),
    createLive: (input) => client.lives.create.mutate(input),
    startLive: (postId) => client.lives.start.mutate({ postId }),
    endLive: (postId) => client.lives.end.mutate({ postId }),
    getLive: (postId) => client.lives.get.query({ postId }),
    send: (input) => client.chat.send.mutate(input),
    react: (input) => client.chat.react.mutate(input),
    reactionHistory: async (input) =>
      reactionHistorySchema.parse(await client.chat.reactionHistory.query(input)),
    pull: (input) => client.chat.pull.query(input),
    // A page feeds SQLite straight away: check its shape once (arrays of plain values, so this stays cheap).
    pullColumns: async (input) => {
      const page = pullColumnsPageSchema.safeParse(await client.chat.pullColumns.query(input));
      if (page.success) return page.data;
      const [issue] = page.error.issues;
      // Shown as the connection's last error: say what is wrong in words, not as a dump of zod issues.
      throw new Error(
        `The chat server sent a sync page this studio cannot read (${issue?.path.join('.') || 'page'}: ${issue?.message}). Are the server and the studio the same version?`,
      );
    },
    events: (input, handlers) =>
      client.chat.events.subscribe(input, {
        // tracked() events arrive as { id, data }: the id is the version, the data the event.
        onData: (value) => handlers.onEvent(value.data),
        onError: (error) => handlers.onError(error),
      }),
    close: () => {
      closed = true;
      wsClient.close();
    },
  };
}
