import type { ServerDatabase } from '../db/client';
import type { FanoutAdapter } from './fanout';
import { createPgliteFanout } from './pglite-fanout';
import { createPostgresFanout } from './postgres-fanout';

/** The fan-out that matches the database: LISTEN/NOTIFY on Postgres, in-process notify on PGlite. */
export function openFanout(database: ServerDatabase): Promise<FanoutAdapter> {
  return database.driver.kind === 'postgres'
    ? createPostgresFanout(database.driver.url, database.db)
    : createPgliteFanout(database.driver.client, database.db);
}
