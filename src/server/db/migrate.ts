import { fileURLToPath } from 'node:url';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { ServerDatabase } from './client';

export const SERVER_MIGRATIONS_DIR = fileURLToPath(new URL('../../../drizzle/server', import.meta.url));

/** Applies drizzle-kit's migrations (idempotent: applied ones are recorded in drizzle's own table). */
export async function migrateServerDatabase(
  database: ServerDatabase,
  migrationsFolder = SERVER_MIGRATIONS_DIR,
) {
  if (database.driver.kind === 'postgres') {
    // biome-ignore lint/suspicious/noExplicitAny: both drizzle flavours share the migrator contract.
    await migratePg(database.db as any, { migrationsFolder });
  } else {
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    await migratePglite(database.db as any, { migrationsFolder });
  }
}
