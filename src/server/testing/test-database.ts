import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openServerDatabase, type ServerDatabase } from '../db/client';
import { migrateServerDatabase } from '../db/migrate';

/**
 * A fresh, migrated chat database for one test file: a new database on `TEST_DATABASE_URL`'s server (dropped
 * afterwards), or a PGlite folder in a temp dir when the variable is absent. Tests say which one they ran on.
 */
export type TestDatabase = {
  database: ServerDatabase;
  /** A connection string for other processes (Postgres only); PGlite is single-process. */
  url: string | undefined;
  /** Where a PGlite database lives, to reopen it after a "restart". */
  dataDir: string | undefined;
  reopen(): Promise<ServerDatabase>;
  drop(): Promise<void>;
};

export const testDatabaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

/**
 * `kind` absent: Postgres when TEST_DATABASE_URL is set, else PGlite. A suite that must run on both engines
 * asks for each by name; asking for Postgres without the variable fails saying how to provide it.
 */
export async function createTestDatabase(kind?: 'postgres' | 'pglite'): Promise<TestDatabase> {
  const adminUrl = kind === 'pglite' ? undefined : process.env.TEST_DATABASE_URL;
  if (kind === 'postgres' && !adminUrl)
    throw new Error(
      'This test needs PostgreSQL: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test), as .ci/run does.',
    );
  if (adminUrl) {
    const name = `cc_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await openServerDatabase({ url: url.toString() });
    await migrateServerDatabase(database);
    const opened: ServerDatabase[] = [database];
    return {
      database,
      url: url.toString(),
      dataDir: undefined,
      reopen: async () => {
        const again = await openServerDatabase({ url: url.toString() });
        opened.push(again);
        return again;
      },
      drop: async () => {
        await Promise.allSettled(opened.map((db) => db.close()));
        const cleanup = new pg.Client({ connectionString: adminUrl });
        await cleanup.connect();
        await cleanup.query(`drop database if exists ${name} with (force)`);
        await cleanup.end();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-pglite-'));
  const database = await openServerDatabase({ dataDir });
  await migrateServerDatabase(database);
  const opened: ServerDatabase[] = [database];
  return {
    database,
    url: undefined,
    dataDir,
    reopen: async () => {
      const again = await openServerDatabase({ dataDir });
      opened.push(again);
      return again;
    },
    drop: async () => {
      await Promise.allSettled(opened.map((db) => db.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
