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
