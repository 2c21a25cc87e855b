import type { Actor } from '../domain/env';

/**
 * Token (its sha256) → the signed-in user, remembered for a few seconds so that a page read or a trivial query
 * does not pay a sessions lookup each time. Correctness rules:
 * - an entry never outlives its session's `expires_at`, nor SESSION_CACHE_TTL_MS;
 * - logout on this process revokes the entry at once, and a lookup that was already in flight when the
 *   revocation happened does not put the token back (the `revision` check);
 * - unknown tokens are never remembered (no cache filling by guessing), so a new session is seen at once;
 * - bans and roles are per live and are not cached here: they are read with the live on every request.
 * Across processes: a logout is published through the fan-out (REVOKED_CHANNEL) and every node revokes the
 * tokens when the notice arrives (revocation-listener.ts); a node whose LISTEN connection dropped forgets
 * everything when it is back, since notices sent meanwhile are lost. Sessions deleted or expired in SQL behind
 * the server's back are still accepted until their entry ages out, at most SESSION_CACHE_TTL_MS.
 */
export const SESSION_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

type Entry = { actor: Actor; until: number };

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every revocation: a lookup started before one must not be remembered. */
  revision = 0;

  constructor(private readonly ttlMs = SESSION_CACHE_TTL_MS) {}

  get(tokenHash: string, now = Date.now()): Actor | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until > now) return entry.actor;
    this.entries.delete(tokenHash);
    return undefined;
  }

  /** Remembers a session read at `revision` (taken before the read), unless a revocation came in between. */
  remember(tokenHash: string, actor: Actor, expiresAt: number, revision: number, now = Date.now()) {
    if (revision !== this.revision) return;
    if (this.entries.size >= MAX_ENTRIES) {
      // Oldest first (a Map iterates in insertion order): the busiest tokens come straight back.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, {
      actor: Object.freeze(actor),
      until: Math.min(now + this.ttlMs, expiresAt),
    });
  }

  /** Forget every token (sign-outs may have been missed): each is looked up again on its next request. */
  clear() {
    this.revision++;
    this.entries.clear();
  }

  /** Forget a token now (logout); call it once the session row is gone. */
  revoke(tokenHash: string) {
    this.revision++;
    this.entries.delete(tokenHash);
  }
}

// One cache per database handle: servers sharing a database in one process share what they know.
const caches = new WeakMap<object, SessionCache>();

export function sessionCacheOf(database: object): SessionCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = new SessionCache();
    caches.set(database, cache);
  }
  return cache;
}
