import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import type { Live, Message } from '../../shared/wire';
import { createRenewingFetch } from '../server-link/renewing-fetch';

/** One entry of the server's moderation log (src/server/domain/moderation.ts `ModerationLogEntry`). */
export type ModerationLogEntry = {
  id: number;
  action: string;
  actor_id: number;
  target_user_id: number | null;
  target_message_id: number | null;
  reason: string | null;
  details: Record<string, unknown> | null;
  created_at: string;
};

export type Restriction = { postId: number; userId: number; until: string | null };

/** The chat server's `moderation.*` procedures (CONTRACTS.md), in the host's words. */
/** `clientActionId`: the outbox row's id for the action, which the server applies once per id. */
type Once = { clientActionId?: string };

export type ModerationApi = {
  hide(input: Once & { postId: number; messageId: number; reason?: string }): Promise<Message>;
  unhide(input: Once & { postId: number; messageId: number; reason?: string }): Promise<Message>;
  delete(input: Once & { postId: number; messageId: number; reason?: string }): Promise<Message>;
  ban(input: Once & { postId: number; userId: number; reason?: string }): Promise<Restriction>;
  unban(input: Once & { postId: number; userId: number; reason?: string }): Promise<Restriction>;
  timeout(
    input: Once & { postId: number; userId: number; seconds: number; reason?: string },
  ): Promise<Restriction>;
  setSlowMode(input: Once & { postId: number; seconds: number }): Promise<Live>;
  addModerator(input: { postId: number; email: string }): Promise<unknown>;
  removeModerator(input: { postId: number; email: string }): Promise<unknown>;
  log(input: { postId: number }): Promise<ModerationLogEntry[]>;
};

/**
 * A plain HTTP tRPC client for moderation calls, with the signed-in moderator's token. Not batched: each action
 * is its own request, so that one refusal never takes its neighbours down with it.
 */
export function createModerationApi(options: {
  url: string;
  token: string;
  /** Renews an expired access token (server-link/session-renewal.ts). */
  renew?: () => Promise<string | null>;
  timeoutMs?: number;
}): ModerationApi {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  let token = options.token;
  const client = createTRPCUntypedClient({
    links: [
      httpLink({
        url: `${base}/trpc`,
        // Signs, times out a server that hangs (the outbox must not be held forever), renews once on a 401.
        fetch: createRenewingFetch(
          {
            token: () => token,
            renew: async () => {
              const renewed = (await options.renew?.()) ?? null;
              if (renewed) token = renewed;
              return renewed;
            },
          },
          timeoutMs,
        ) as never,
      }),
    ],
  });
  const mutate =
    <T>(path: string) =>
    (input: unknown) =>
      client.mutation(`moderation.${path}`, input) as Promise<T>;
  return {
    hide: mutate('hide'),
    unhide: mutate('unhide'),
    delete: mutate('delete'),
    ban: mutate('ban'),
    unban: mutate('unban'),
    timeout: mutate('timeout'),
    setSlowMode: mutate('setSlowMode'),
    addModerator: mutate('addModerator'),
    removeModerator: mutate('removeModerator'),
    log: (input) => client.query('moderation.log', input) as Promise<ModerationLogEntry[]>,
  };
}
