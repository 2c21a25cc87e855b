import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, type ServerDatabase } from '../db/client';
import {
  canRunPrivatePostgres,
  type PrivatePostgres,
  startPrivatePostgres,
} from '../testing/private-postgres';
import { migrateWithLock, withMigrationLock } from './migration-lock';
import { PRIVATE_POSTGRES_NEEDS, requireFacility } from '../testing/requirements';

describe('migration advisory lock (real Postgres, private cluster)', () => {
  let cluster: PrivatePostgres;
  const opened: ServerDatabase[] = [];
  const open = async (url: string) => {
    const database = await openServerDatabase({ url });
    opened.push(database);
    return database;
  };
  beforeAll(async () => {
    requireFacility(canRunPrivatePostgres(), PRIVATE_POSTGRES_NEEDS);
    cluster = await startPrivatePostgres();
  });
  afterAll(async () => {
    await Promise.allSettled(opened.map((database) => database.close()));
    await cluster?.destroy();
  });

  it('runs one holder at a time: the second waits until the first is done', async () => {
    const url = await cluster.createDatabase('lock_order');
    const [a, b] = [await open(url), await open(url)];
    const events: string[] = [];
    let releaseA!: () => void;
    const gate = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    const first = withMigrationLock(a, async () => {
      events.push('a:start');
      await gate;
      events.push('a:end');
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = withMigrationLock(b, async () => {
      events.push('b:start');
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).toEqual(['a:start']);
    releaseA();
    await Promise.all([first, second]);
    expect(events).toEqual(['a:start', 'a:end', 'b:start']);
  });

  it('releases the lock when the work throws', async () => {
    const url = cluster.urlFor('lock_order');
    const database = await open(url);
    await expect(
      withMigrationLock(database, async () => {
        throw new Error('migration failed');
      }),
    ).rejects.toThrow('migration failed');
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    const { rows } = await probe.query("select count(*)::int as n from pg_locks where locktype = 'advisory'");
    await probe.end();
    expect(rows[0].n).toBe(0);
    await expect(withMigrationLock(database, async () => 'again')).resolves.toBe('again');
  });

  it('lets four nodes migrate one fresh database at once; each table exists once', async () => {
    const url = await cluster.createDatabase('lock_race');
    const nodes = await Promise.all([1, 2, 3, 4].map(() => open(url)));
    const results = await Promise.allSettled(nodes.map((database) => migrateWithLock(database)));
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    const [database] = nodes;
    const applied = await database!.query<{ n: number }>(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    );
    const journal = await import('../../../drizzle/server/meta/_journal.json', { with: { type: 'json' } });
    expect(applied[0]!.n).toBe(journal.default.entries.length);
  });
});
