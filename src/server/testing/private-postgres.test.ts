import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunPrivatePostgres, type PrivatePostgres, startPrivatePostgres } from './private-postgres';
import { PRIVATE_POSTGRES_NEEDS, requireFacility } from './requirements';

describe('private Postgres cluster', () => {
  let cluster: PrivatePostgres;
  beforeAll(async () => {
    requireFacility(canRunPrivatePostgres(), PRIVATE_POSTGRES_NEEDS);
    cluster = await startPrivatePostgres();
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('serves its own databases on its own port, not the shared server', async () => {
    expect(cluster.port).not.toBe(5432);
    const url = await cluster.createDatabase('fault_demo');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const [row] = (await client.query('select current_database() as db, version() as v')).rows;
    await client.end();
    expect(row.db).toBe('fault_demo');
    expect(row.v).toMatch(/PostgreSQL/);
  });

  it('restarts: an open connection breaks, a new one works and the data survived', async () => {
    const url = cluster.urlFor('fault_demo');
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    await setup.query('create table kept (n int)');
    await setup.query('insert into kept values (42)');
    // pg reports the admin shutdown, then the closed socket: listen for both (an unheard one would crash).
    const broken = new Promise<Error>((resolve) => setup.on('error', resolve));

    await cluster.restart({ downMs: 200 });
    expect((await broken).message).toMatch(/terminat|shut|connection/i);

    const again = new pg.Client({ connectionString: url });
    await again.connect();
    expect((await again.query('select n from kept')).rows).toEqual([{ n: 42 }]);
    await again.end();
  });

  it('refuses connections while stopped, and destroy removes its files', async () => {
    const other = await startPrivatePostgres();
    await other.stop('immediate');
    expect(other.running()).toBe(false);
    const client = new pg.Client({ connectionString: other.url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
    await other.destroy();
    expect(existsSync(other.dataDir)).toBe(false);
  });
});
