import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index';

export const HOST_MIGRATIONS_DIR = fileURLToPath(new URL('../../../drizzle/host', import.meta.url));

export type HostDb = BetterSQLite3Database<typeof schema>;
export type HostDatabase = { file: string; sqlite: Database.Database; db: HostDb; close(): void };

/**
 * Opens (and migrates) the host's SQLite file. WAL lets the renderer's reads run beside the sync's writes;
 * synchronous=FULL makes every commit durable before it returns, which the outbox relies on (design §3:
 * a message typed is never lost, even if the machine dies right after `chat.send` returned).
 */
export function openHostDatabase(dataDir: string, migrationsFolder = HOST_MIGRATIONS_DIR): HostDatabase {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'studio.sqlite');
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Deleted and overwritten rows are zeroed in the pages a write touches anyway (FAST: no extra I/O on the chat
  // cache's hot path), not left in their free space: a replaced token leaves no trace.
  sqlite.pragma('secure_delete = FAST');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return { file, sqlite, db, close: () => sqlite.close() };
}
