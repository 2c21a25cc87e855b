import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { firstRow, toNumber } from '../db/sql';
import type { DomainEnv } from './env';

const WAIT_STEP_MS = 2;
const WAIT_LIMIT_MS = 5_000;

/**
 * The highest version a reader may hand out as a cursor: every version at or below it belongs to a transaction
 * that has finished. Versions come from a sequence, so they are drawn in one order but committed in another
 * (sender A draws 9, sender B draws 10, B commits first). A reader that returned 10 as a cursor would skip 9 for
 * good. So: read the sequence's last value H, then wait until every transaction of this database running at that
 * moment has ended (they are single chat writes, a few ms). Writers take their transaction id before drawing a version
 * (write.ts), so any writer holding a version ≤ H appears in that list. PGlite runs one transaction at a time.
 */
export async function safeHorizon(env: DomainEnv): Promise<number> {
  const last = await firstRow<{ h: unknown }>(
    env.db,
    sql`select case when is_called then last_value else 0 end as h from chat_version_seq`,
  );
  const horizon = toNumber(last!.h);
  if (env.kind === 'pglite') return horizon;
  // Running transactions (each holds a lock on its own id), of THIS database only: a snapshot's list spans
  // the whole cluster, and another application's long transaction must not stall our chat.
  const running = await firstRow<{ xids: string[] }>(
    env.db,
    sql`select array(select l.transactionid::text from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'transactionid' and l.mode = 'ExclusiveLock' and l.granted
            and a.datname = current_database() and l.pid <> pg_backend_pid()) as xids`,
  );
  const xids = running?.xids ?? [];
  if (xids.length === 0) return horizon;
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (Date.now() < deadline) {
    // An array literal of digits (xids), passed as one text parameter: drizzle would expand a JS array.
    const still = await firstRow<{ n: unknown }>(
      env.db,
      sql`select count(*) as n from pg_locks
          where locktype = 'transactionid' and mode = 'ExclusiveLock' and granted
            and transactionid::text = any(${`{${xids.join(',')}}`}::text[])`,
    );
    if (toNumber(still!.n) === 0) return horizon;
    await sleep(WAIT_STEP_MS);
  }
  // A transaction running for seconds is not a chat write (those take milliseconds): do not stall chat on it.
  return horizon;
}
