import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import type { Live, Message } from '../../shared/wire';

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
  timeoutMs?: number;
}): ModerationApi {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const client = createTRPCUntypedClient({
    links: [
      httpLink({
        url: `${base}/trpc`,
        headers: () => ({ authorization: `Bearer ${options.token}` }),
        // A server that accepts and then hangs must not hold the moderation outbox forever.
        fetch: (url, init) =>
          fetch(url, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) }),
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
