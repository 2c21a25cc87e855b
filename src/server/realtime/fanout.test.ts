import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../shared/wire';
import type { ServerDatabase } from '../db/client';
import { type RunningChatServer, startChatServer } from '../http';
import { seedLive, seedUser } from '../testing/fixtures';
import { chatClient } from '../testing/trpc-client';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { requireFacility, SHARED_POSTGRES_NEEDS } from '../testing/requirements';

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const contents = (events: ChatEvent[]) =>
  events.flatMap((e) => (e.type === 'message' ? [e.message.content] : []));

describe(`fan-out between server instances on one database (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let second: ServerDatabase;
  let serverA: RunningChatServer;
  let serverB: RunningChatServer;
  let child: ChildProcess | null = null;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // Postgres: a second pool and a second LISTEN connection, as another process would have. PGlite is one
    // process's database: two servers share the instance, and its in-process NOTIFY must reach both.
    second = testDb.url ? await testDb.reopen() : testDb.database;
    serverA = await startChatServer({ database: testDb.database });
    serverB = await startChatServer({ database: second });
  });
  afterAll(async () => {
    for (const close of closers) close();
    if (child?.pid) process.kill(child.pid, 'SIGTERM');
    await serverA?.close();
    await serverB?.close();
    await testDb?.drop();
  });

  async function subscribe(url: string, token: string, postId: number) {
    const { client, close } = chatClient(url, token);
    closers.push(close);
    const { cursor } = await client.chat.pull.query({ postId, cursor: 0 });
    const received: ChatEvent[] = [];
    const subscription = client.chat.events.subscribe(
      { postId, lastEventId: String(cursor) },
      { onData: (data) => received.push(data.data) },
    );
    closers.push(() => subscription.unsubscribe());
    // The subscription is live once the hub watches the live; give the WebSocket a moment to open.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return received;
  }

  it('delivers a message sent to one instance to a subscriber of the other, and back', async () => {
    const env = serverA.services.env;
    const host = await seedUser(env, 'Mariam', 'Diallo');
    const viewer = await seedUser(env, 'Vic', 'Viewer');
    const live = await seedLive(env, host.user);
    const onB = await subscribe(serverB.url, viewer.token, live.id);
    const onA = await subscribe(serverA.url, host.token, live.id);
    const fromA = chatClient(serverA.url, host.token);
    const fromB = chatClient(serverB.url, viewer.token);
    closers.push(fromA.close, fromB.close);
    await fromA.client.chat.send.mutate({ postId: live.id, clientId: randomUUID(), content: 'sent to A' });
    await fromB.client.chat.send.mutate({ postId: live.id, clientId: randomUUID(), content: 'sent to B' });
    await waitFor(() => contents(onB).length === 2 && contents(onA).length === 2, 'both messages on both');
    expect(contents(onB)).toEqual(['sent to A', 'sent to B']);
    expect(contents(onA)).toEqual(['sent to A', 'sent to B']);
  });

  it('keeps delivering after the LISTEN connection is killed (re-LISTEN and re-read)', async () => {
    requireFacility(process.env.TEST_DATABASE_URL, SHARED_POSTGRES_NEEDS);
    const env = serverA.services.env;
    const host = await seedUser(env, 'Lea', 'Listen');
    const live = await seedLive(env, host.user);
    const onB = await subscribe(serverB.url, host.token, live.id);
    await testDb.database.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`,
    );
    const sender = chatClient(serverA.url, host.token);
    closers.push(sender.close);
    await sender.client.chat.send.mutate({
      postId: live.id,
      clientId: randomUUID(),
      content: 'after the cut',
    });
    await waitFor(() => contents(onB).includes('after the cut'), 'the message after the reconnect');
  });

  it('two real processes (npm run server) deliver each other’s messages', async () => {
    requireFacility(process.env.TEST_DATABASE_URL, SHARED_POSTGRES_NEEDS);
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, DATABASE_URL: testDb.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    await waitFor(
      () => /chat server on (http:\/\/\S+)/.test(output),
      `the child server to start: ${output}`,
      30_000,
    );
    const childUrl = /chat server on (http:\/\/\S+)/.exec(output)![1]!;
    const env = serverA.services.env;
    const host = await seedUser(env, 'Pat', 'Process');
    const live = await seedLive(env, host.user);
    const inChild = await subscribe(childUrl, host.token, live.id);
    const here = await subscribe(serverA.url, host.token, live.id);
    const toHere = chatClient(serverA.url, host.token);
    const toChild = chatClient(childUrl, host.token);
    closers.push(toHere.close, toChild.close);
    await toHere.client.chat.send.mutate({
      postId: live.id,
      clientId: randomUUID(),
      content: 'from this process',
    });
    await toChild.client.chat.send.mutate({
      postId: live.id,
      clientId: randomUUID(),
      content: 'from the child',
    });
    await waitFor(() => contents(inChild).length === 2 && contents(here).length === 2, 'both ways');
    expect(contents(inChild)).toEqual(['from this process', 'from the child']);
    expect(contents(here)).toEqual(['from this process', 'from the child']);
  }, 60_000);
});
