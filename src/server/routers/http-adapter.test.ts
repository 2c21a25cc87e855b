import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../shared/limits';
import { tokenFromAuthorization } from '../auth/tokens';
import { type RunningChatServer, startChatServer } from '../http';
import { seedCast, seedLive, type SeededUser } from '../testing/fixtures';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { createChatContext } from './context';
import { createLeanTrpcHandler } from './http-adapter';
import { type AppRouter, appRouter } from './root';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => unknown) {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

type Raw = { method?: string; path: string; body?: string; headers?: Record<string, string> };

/**
 * The lean adapter must be indistinguishable from tRPC's own on the wire: every request below is sent to both
 * (same router, same context, same database) and the status, content type and body must match byte for byte.
 */
describe(`lean tRPC HTTP adapter (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let chat: RunningChatServer;
  const servers: Server[] = [];
  let lean: string;
  let official: string;
  let fallbacks = 0;
  let host: SeededUser;
  let viewer: SeededUser;
  let liveId: number;
  let draftId: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    chat = await startChatServer({ database: testDb.database });
    const contextOf = (req: IncomingMessage) =>
      createChatContext(chat.services, tokenFromAuthorization(req.headers.authorization));
    const tRPCs = createHTTPHandler({
      router: appRouter,
      basePath: '/trpc/',
      maxBodySize: MAX_BODY_BYTES,
      createContext: ({ req }) => contextOf(req),
    });
    const leanServer = await listen(
      createLeanTrpcHandler({
        router: appRouter,
        basePath: '/trpc/',
        maxBodySize: MAX_BODY_BYTES,
        createContext: contextOf,
        fallback: (req, res) => {
          fallbacks++;
          return tRPCs(req, res);
        },
      }),
    );
    const officialServer = await listen(tRPCs);
    servers.push(leanServer.server, officialServer.server);
    lean = leanServer.url;
    official = officialServer.url;
    const cast = await seedCast(chat.services.env);
    host = cast.host;
    viewer = cast.viewer;
    liveId = cast.live.id;
    draftId = (await seedLive(chat.services.env, host.user, { start: false })).id;
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await chat?.close();
    await testDb?.drop();
  });

  async function send(base: string, raw: Raw) {
    const response = await fetch(`${base}${raw.path}`, {
      method: raw.method ?? 'GET',
      headers: raw.headers ?? {},
      ...(raw.body !== undefined && { body: raw.body }),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.text(),
    };
  }

  const bearer = (user: SeededUser) => ({ authorization: `Bearer ${user.token}` });
  const json = { 'content-type': 'application/json' };
  const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));

  const cases: [string, () => Raw, 'lean' | 'fallback', number][] = [
    ['a query without input', () => ({ path: '/trpc/auth.me', headers: bearer(viewer) }), 'lean', 200],
    ['a refused query (401)', () => ({ path: '/trpc/auth.me' }), 'lean', 401],
    [
      'a query with input',
      () => ({ path: `/trpc/lives.get?input=${input({ postId: liveId })}`, headers: bearer(viewer) }),
      'lean',
      200,
    ],
    [
      'an input that fails validation',
      () => ({ path: `/trpc/lives.get?input=${input({ postId: 'x' })}`, headers: bearer(viewer) }),
      'lean',
      400,
    ],
    [
      'an unknown live (404 from the domain)',
      () => ({ path: `/trpc/lives.get?input=${input({ postId: 999999 })}`, headers: bearer(viewer) }),
      'lean',
      404,
    ],
    [
      'input that is not JSON',
      () => ({ path: '/trpc/lives.get?input=%7Bnope', headers: bearer(viewer) }),
      'lean',
      400,
    ],
    [
      'a batch of three, one refused (207)',
      () => ({
        path: `/trpc/auth.me,lives.get,lives.get?batch=1&input=${input({ 1: { postId: liveId }, 2: { postId: 999999 } })}`,
        headers: bearer(viewer),
      }),
      'lean',
      207,
    ],
    [
      'a batch where every call succeeds',
      () => ({
        path: `/trpc/lives.get,lives.list?batch=1&input=${input({ 0: { postId: liveId }, 1: {} })}`,
        headers: bearer(host),
      }),
      'lean',
      200,
    ],
    [
      'a batch whose input is not an object',
      () => ({ path: `/trpc/lives.get?batch=1&input=${input([1])}`, headers: bearer(viewer) }),
      'lean',
      400,
    ],
    [
      'a refused mutation (412, live not open)',
      () => ({
        method: 'POST',
        path: '/trpc/chat.send',
        headers: { ...bearer(host), ...json },
        body: JSON.stringify({ postId: draftId, clientId: randomUUID(), content: 'too early' }),
      }),
      'lean',
      412,
    ],
    [
      'a batched mutation refused by its input schema',
      () => ({
        method: 'POST',
        path: '/trpc/chat.send?batch=1',
        headers: { ...bearer(viewer), ...json },
        body: JSON.stringify({ 0: { postId: liveId, clientId: randomUUID(), content: '' } }),
      }),
      'lean',
      400,
    ],
    [
      'a wrong password',
      () => ({
        method: 'POST',
        path: '/trpc/auth.login?batch=1',
        headers: json,
        body: JSON.stringify({ 0: { email: host.email, password: 'not the password' } }),
      }),
      'lean',
      401,
    ],
    [
      'a malformed JSON body',
      () => ({ method: 'POST', path: '/trpc/auth.login', headers: json, body: '{"email": ' }),
      'lean',
      400,
    ],
    [
      'an empty JSON body',
      () => ({ method: 'POST', path: '/trpc/auth.login', headers: json, body: '' }),
      'lean',
      400,
    ],
    [
      'a body over the limit (413)',
      () => ({
        method: 'POST',
        path: '/trpc/auth.login',
        headers: json,
        body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(MAX_BODY_BYTES + 10) }),
      }),
      'lean',
      413,
    ],
    ['an unknown procedure', () => ({ path: '/trpc/nope.nothing' }), 'fallback', 404],
    [
      'a mutation called with GET',
      () => ({ path: '/trpc/auth.logout', headers: bearer(viewer) }),
      'fallback',
      405,
    ],
    [
      'a query called with POST',
      () => ({ method: 'POST', path: '/trpc/auth.me', headers: { ...bearer(viewer), ...json }, body: '{}' }),
      'fallback',
      405,
    ],
    [
      'a form body',
      () => ({
        method: 'POST',
        path: '/trpc/auth.login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=a',
      }),
      'fallback',
      415,
    ],
    [
      'a streaming batch (jsonl)',
      () => ({
        path: '/trpc/auth.me?batch=1',
        headers: { ...bearer(viewer), 'trpc-accept': 'application/jsonl' },
      }),
      'fallback',
      200,
    ],
  ];

  for (const [name, make, route, status] of cases) {
    it(`${name}: same status, type and bytes as tRPC's adapter (${route})`, async () => {
      const raw = make();
      const before = fallbacks;
      const ours = await send(lean, raw);
      expect(fallbacks - before).toBe(route === 'fallback' ? 1 : 0);
      const theirs = await send(official, raw);
      expect(ours).toEqual(theirs);
      expect(ours.status).toBe(status);
    });
  }

  it('serves @trpc/client httpLink and httpBatchLink, batches included, with their errors', async () => {
    for (const link of [httpLink, httpBatchLink]) {
      const client = createTRPCClient<AppRouter>({
        links: [link({ url: `${chat.url}/trpc`, headers: bearer(viewer) })],
      });
      const [me, live, time] = await Promise.all([
        client.auth.me.query(),
        client.lives.get.query({ postId: liveId }),
        client.time.query(),
      ]);
      expect(me.id).toBe(viewer.user.id);
      expect(live.id).toBe(liveId);
      expect(time.epochMs).toBeGreaterThan(0);
      const results = await Promise.allSettled([
        client.lives.get.query({ postId: 999999 }),
        client.chat.send.mutate({ postId: draftId, clientId: randomUUID(), content: 'early' }),
        client.auth.me.query(),
      ]);
      const [unknown, early, again] = results;
      const dataOf = (result: PromiseSettledResult<unknown>) =>
        ((result as PromiseRejectedResult).reason as TRPCClientError<AppRouter>).data;
      expect((unknown as PromiseRejectedResult).reason).toBeInstanceOf(TRPCClientError);
      expect(dataOf(unknown)).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, refusal: 'not_found' });
      expect(dataOf(early)).toMatchObject({ httpStatus: 412, refusal: 'live_not_open' });
      expect(again.status).toBe('fulfilled');
    }
  });
});
