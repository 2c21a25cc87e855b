/**
 * Capped exponential backoff with jitter: after a failure, wait a random time between half and all of
 * min(cap, base·2^attempt). The jitter keeps many hosts from reconnecting in lockstep after a server restart.
 */
export type BackoffOptions = { baseMs: number; capMs: number; random?: () => number };

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 15_000 };

export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
