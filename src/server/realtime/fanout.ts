import { sql } from 'drizzle-orm';
import type { Executor } from '../db/sql';

/** "Something changed in this live's chat at this version": all a notification carries (rows are read back). */
export type ChangeNotice = { postId: number; version: number };

/**
 * Delivers change notices to every server process on the same database. A notice published inside a
 * transaction goes out when it commits (NOTIFY semantics), never for a rolled-back change.
 */
export interface FanoutAdapter {
  publish(executor: Executor, notice: ChangeNotice): Promise<void>;
  /**
   * After a commit, outside any transaction, batched (announcer.ts): the chat send's hot path. Optional: an
   * adapter without it gets the notice published inside the sending transaction.
   */
  announce?(notice: ChangeNotice): void;
  /** Calls `listener` for every notice (own and other processes'); returns the unsubscribe function. */
  subscribe(listener: (notice: ChangeNotice) => void): () => void;
  /** Calls `listener` with the token hashes of every sign-out (own and other processes'): session caches drop them. */
  onRevoked(listener: (tokenHashes: string[]) => void): () => void;
  /** Called after the connection was lost and restored: notices may have been missed meanwhile. */
  onResync(listener: () => void): () => void;
  close(): Promise<void>;
}

export const CHANGE_CHANNEL = 'cc_chat_changes';
/** Sign-outs, so that every node forgets the tokens at once instead of when its session cache ages out. */
export const REVOKED_CHANNEL = 'cc_sessions_revoked';
/** NOTIFY payloads stay under Postgres's 8,000 bytes: 64 hex characters and a comma per hash. */
const HASHES_PER_NOTICE = 100;

export function encodeNotice(notice: ChangeNotice): string {
  return `${notice.postId}:${notice.version}`;
}

export function decodeNotice(payload: string | undefined): ChangeNotice | null {
  const [post, version] = (payload ?? '').split(':');
  const postId = Number(post);
  const v = Number(version);
  return Number.isSafeInteger(postId) && Number.isSafeInteger(v) ? { postId, version: v } : null;
}

/** Both Postgres and PGlite publish the same way: pg_notify inside the caller's transaction. */
export async function publishNotice(executor: Executor, notice: ChangeNotice) {
  await executor.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${encodeNotice(notice)})`);
}

/** Tells every node that these sessions are gone (after their rows were deleted). */
export async function publishRevocation(executor: Executor, tokenHashes: string[]) {
  for (let start = 0; start < tokenHashes.length; start += HASHES_PER_NOTICE)
    await executor.execute(
      sql`select pg_notify(${REVOKED_CHANNEL}, ${tokenHashes.slice(start, start + HASHES_PER_NOTICE).join(',')})`,
    );
}

export function decodeRevocation(payload: string | undefined): string[] {
  return (payload ?? '').split(',').filter((hash) => /^[0-9a-f]{64}$/.test(hash));
}

/** Every channel an adapter LISTENs on. */
export const FANOUT_CHANNELS = [CHANGE_CHANNEL, REVOKED_CHANNEL] as const;

/**
 * The listeners of one adapter and the routing of a NOTIFY to them: both adapters receive the same payloads on
 * the same channels (Postgres on its dedicated client, PGlite in-process) and differ only in how they LISTEN.
 */
export class FanoutListeners {
  private readonly notices = new Set<(notice: ChangeNotice) => void>();
  private readonly revocations = new Set<(tokenHashes: string[]) => void>();

  deliver(channel: string, payload: string | undefined): void {
    if (channel === CHANGE_CHANNEL) {
      const notice = decodeNotice(payload);
      if (notice) for (const listener of this.notices) listener(notice);
    } else if (channel === REVOKED_CHANNEL) {
      const hashes = decodeRevocation(payload);
      if (hashes.length > 0) for (const listener of this.revocations) listener(hashes);
    }
  }

  readonly subscribe: FanoutAdapter['subscribe'] = (listener) => {
    this.notices.add(listener);
    return () => this.notices.delete(listener);
  };

  readonly onRevoked: FanoutAdapter['onRevoked'] = (listener) => {
    this.revocations.add(listener);
    return () => this.revocations.delete(listener);
  };
}
