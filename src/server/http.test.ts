import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, type RunningChatServer } from './http';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from './testing/test-database';

describe(`chat server health (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startChatServer({ database: testDb.database });
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  it('answers /health without touching the database', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready after reaching the migrated database', async () => {
    const response = await fetch(`${server.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: testDatabaseKind });
    const tables = await testDb.database.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toContain('users');
  });

  it('answers an unknown path with a JSON 404', async () => {
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'Not found.' });
  });
});
