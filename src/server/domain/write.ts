import { sql } from 'drizzle-orm';
import type { Executor } from '../db/sql';
import type { DomainEnv } from './env';

/**
 * Every transaction that draws a chat version starts here. Taking the transaction id BEFORE drawing the
 * version is what lets readers find a safe horizon (see horizon.ts): a version drawn by a transaction that is
 * still running is always covered by that transaction's id in the readers' snapshot.
 */
export async function inVersionedWrite<T>(env: DomainEnv, work: (tx: Executor) => Promise<T>): Promise<T> {
  return env.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_current_xact_id()`);
    return work(tx as unknown as Executor);
  });
}

/**
 * inVersionedWrite that also takes transaction-scoped advisory locks on `keys` (in `namespace`) in the same
 * round trip, in ascending order so that two writers never wait on each other in a cycle. The hot send path
 * uses it: one statement less per batch.
 */
export async function inLockedVersionedWrite<T>(
  env: DomainEnv,
  namespace: number,
  keys: number[],
  work: (tx: Executor) => Promise<T>,
): Promise<T> {
  const sorted = [...new Set(keys.map((key) => Math.trunc(key)))].sort((a, b) => a - b);
  if (sorted.length === 0) return inVersionedWrite(env, work);
  return env.db.transaction(async (tx) => {
    // Volatile functions in the select list run after the sort (Postgres ≥ 9.6): locks are taken in order.
    await tx.execute(
      sql`select pg_current_xact_id(), pg_advisory_xact_lock(${namespace}, k)
          from unnest(${`{${sorted.join(',')}}`}::int[]) k order by k`,
    );
    return work(tx as unknown as Executor);
  });
}
