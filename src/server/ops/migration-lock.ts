import type { ServerDatabase } from '../db/client';
import { migrateServerDatabase } from '../db/migrate';

/**
 * Several nodes starting at once (a deploy, `npm run cluster`) would each run the migrator against the same
 * database; two of them creating the same table race and one crashes. A Postgres session-level advisory lock
 * makes the migrations run one node at a time: the first applies them, the others wait, then find nothing left to
 * apply. The lock lives on one dedicated connection, so if a node dies mid-migration Postgres releases it.
 * PGlite is single-process: there is nobody to race with.
 */
// An arbitrary constant that only our migrations use ("cc-migr" in ASCII, as a bigint).
export const MIGRATION_LOCK_KEY = '109915437155698';

export async function withMigrationLock<T>(database: ServerDatabase, work: () => Promise<T>): Promise<T> {
  if (database.driver.kind !== 'postgres') return work();
  const client = await database.driver.pool.connect();
  let broken = false;
  // If Postgres goes away while we hold the lock, the lock is gone too; do not hand a dead client back.
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      return await work();
    } finally {
      if (!broken) await client.query('select pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** `migrateServerDatabase` under the advisory lock: what every node calls at start. */
export function migrateWithLock(database: ServerDatabase, migrationsFolder?: string): Promise<void> {
  return withMigrationLock(database, () => migrateServerDatabase(database, migrationsFolder));
}
