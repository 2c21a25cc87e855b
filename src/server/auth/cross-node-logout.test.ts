import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../db/client';
import { type RunningChatServer, startChatServer } from '../http';
import { restClient } from '../testing/rest-client';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { SESSION_CACHE_TTL_MS } from './session-cache';
import { hashToken } from './tokens';

/**
 * Two nodes on one Postgres database, each with its own pool, session cache and LISTEN connection — what two
 * `npm run server` processes behind a balancer are. A sign-out on one is honoured by the other at once, though
 * the other has just served the token from its cache (which would otherwise accept it for SESSION_CACHE_TTL_MS).
 */
async function until(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

describe('a sign-out on one node is honoured by every node at once (Postgres, two nodes)', () => {
  let testDb: TestDatabase;
  let secondHandle: ServerDatabase;
  let nodeA: RunningChatServer;
  let nodeB: RunningChatServer;

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    secondHandle = await testDb.reopen();
    nodeA = await startChatServer({ database: testDb.database });
    nodeB = await startChatServer({ database: secondHandle });
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await testDb?.drop();
  });

  async function signUpOnA(name: string) {
    const response = await restClient(nodeA.url).post('/api/users/register/', {
      email: `${name}@example.org`,
      password: 'correct horse battery',
      password_confirm: 'correct horse battery',
      first_name: name,
      last_name: 'Node',
    });
    expect(response.status).toBe(201);
    return response.body.tokens as { access: string; refresh: string };
  }

  /** Node B's answer to a signed-in call: 200 while it accepts the token, 401 once it does not. */
  const statusOnB = async (access: string) =>
    (await restClient(nodeB.url, access).get('/api/posts/live/')).status;

  it('the other node refuses the token within a fraction of its cache lifetime', async () => {
    const { access } = await signUpOnA('awa');
    expect(await statusOnB(access)).toBe(200);
    expect(await statusOnB(access)).toBe(200); // now in node B's session cache
    expect((await restClient(nodeA.url, access).post('/api/users/logout/')).status).toBe(200);
    const tookMs = await until(async () => (await statusOnB(access)) === 401, SESSION_CACHE_TTL_MS / 2);
    expect(tookMs).toBeLessThan(SESSION_CACHE_TTL_MS / 2);
  });

  it('a refreshed access token of the same sign-in is refused by the other node too', async () => {
    const { access, refresh } = await signUpOnA('binta');
    const renewed = await restClient(nodeB.url).post('/api/token/refresh/', { refresh });
    expect(renewed.status).toBe(200);
    const second = renewed.body.access as string;
    expect(await statusOnB(second)).toBe(200);
    expect((await restClient(nodeA.url, access).post('/api/users/logout/')).status).toBe(200);
    await until(async () => (await statusOnB(second)) === 401, SESSION_CACHE_TTL_MS / 2);
    expect((await restClient(nodeB.url).post('/api/token/refresh/', { refresh })).status).toBe(401);
  });

  it('a node whose LISTEN connection dropped forgets its cached sessions when it is back', async () => {
    const { access } = await signUpOnA('coumba');
    expect(await statusOnB(access)).toBe(200); // cached on B
    // The session goes while B cannot hear about it: deleted in SQL, and B's LISTEN connection cut.
    await testDb.database.query('delete from sessions where token_hash = $1', [hashToken(access)]);
    await testDb.database.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and query like 'listen %' and pid <> pg_backend_pid()`,
    );
    await until(async () => (await statusOnB(access)) === 401, SESSION_CACHE_TTL_MS / 2);
  });
});
