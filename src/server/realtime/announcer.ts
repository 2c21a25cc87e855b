import { sql } from 'drizzle-orm';
import type { Executor } from '../db/sql';
import { CHANGE_CHANNEL, type ChangeNotice, encodeNotice } from './fanout';

/**
 * Announces committed changes outside their transaction, batched: every notice of one event-loop turn goes out
 * in ONE statement, one per live (its highest version: readers read everything up to the horizon anyway).
 *
 * Why not NOTIFY inside the sending transaction: Postgres serialises the commits of every transaction that
 * issued a NOTIFY (a cluster-wide lock held through the commit's WAL flush), which caps chat sends at about one
 * fsync each. A NOTIFY after the commit takes the same lock only for an instant. If the process dies between
 * the commit and the announcement, the next change of that live (or a pull) delivers the message: readers go by
 * version, not by notice.
 */
export function createAnnouncer(executor: Executor) {
  let pending = new Map<number, number>();
  let scheduled = false;

  const flush = async () => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    const payloads = [...batch].map(([postId, version]) => encodeNotice({ postId, version }));
    try {
      await executor.execute(
        sql`select pg_notify(${CHANGE_CHANNEL}, payload) from unnest(${`{${payloads.join(',')}}`}::text[]) payload`,
      );
    } catch (error) {
      console.warn(`fan-out: announcing ${payloads.length} change(s) failed: ${(error as Error).message}`);
    }
  };

  return (notice: ChangeNotice) => {
    pending.set(notice.postId, Math.max(pending.get(notice.postId) ?? 0, notice.version));
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => void flush());
    }
  };
}
