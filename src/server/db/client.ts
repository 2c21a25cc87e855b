import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index';

/**
 * The chat server's database: a real Postgres when a URL is given, else PGlite (embedded Postgres) in a
 * folder. Both are driven through the same drizzle schema and migrations, so the code above never knows which.
 */
export type ServerDatabaseOptions = {
  url?: string | undefined;
  dataDir?: string | undefined;
  /** Postgres pool size (default 20). */
  poolMax?: number | undefined;
};

/**
 * Both drivers' drizzle databases (and their transactions) share this base type: code written against it runs
 * on either. Raw results differ only in details that src/server/db/sql.ts smooths over.
 */
export type ServerDb = PgDatabase<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

export type ServerDatabase = {
  kind: 'postgres' | 'pglite';
  db: ServerDb;
  /** Runs raw SQL (used by health checks and the notification bus); rows come back as plain objects. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** The underlying driver, for what drizzle does not cover (LISTEN/NOTIFY). */
  driver: { kind: 'postgres'; pool: pg.Pool; url: string } | { kind: 'pglite'; client: PGlite };
};

export async function openServerDatabase(options: ServerDatabaseOptions): Promise<ServerDatabase> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolMax ?? 20 });
    // An idle client that loses its connection (a Postgres restart) must not crash the process.
    pool.on('error', (error) => console.warn(`postgres pool: ${error.message}`));
    // A client checked out of the pool but between two queries (inside a transaction) has no listener of the
    // pool's: a Postgres restart then emits an unhandled 'error' and kills the process. With this one the
    // error still fails the client's queries, and the pool discards the broken client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}));
    return {
      kind: 'postgres',
      db: drizzlePg(pool, { schema }) as unknown as ServerDb,
      query: async (sql, params) => (await pool.query(sql, params)).rows,
      close: () => pool.end(),
      driver: { kind: 'postgres', pool, url: options.url },
    };
  }
  const dataDir = options.dataDir ?? '.data/server';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // Loaded only here: half a megabyte of WebAssembly glue that a studio on a remote server never needs at start.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  const client = await PGlite.create(dataDir);
  return {
    kind: 'pglite',
    db: drizzlePglite(client, { schema }) as unknown as ServerDb,
    query: async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
      (await client.query<T>(sql, params)).rows,
    close: () => client.close(),
    driver: { kind: 'pglite', client },
  };
}
