import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../auth/tokens';
import { type RunningChatServer, startChatServer } from '../http';
import { addModerator, hideMessage, setSlowMode, timeoutUser } from '../domain/moderation';
import { endLive } from '../domain/lives';
import { seedCast, seedLive, seedUser } from '../testing/fixtures';
import { restClient } from '../testing/rest-client';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';

describe(`REST API: bad input gets a clear 4xx and changes nothing (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;
  let cast: Awaited<ReturnType<typeof seedCast>>;
  let chatPath: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startChatServer({ database: testDb.database, limits: { rateViewer: 3 } });
    cast = await seedCast(server.services.env);
    chatPath = `/api/posts/live/${cast.live.id}/chat/`;
    // PGlite start-up and six scrypt hashes: slow on a busy 2-core machine.
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  const messageCount = async () =>
    Number((await testDb.database.query<{ n: string }>('select count(*) as n from chat_messages'))[0]!.n);

  /** Runs `act`, checks the status and detail, and that no message was written. */
  async function expectRefused(
    act: () => ReturnType<ReturnType<typeof restClient>['call']>,
    status: number,
    detail?: string | RegExp,
  ) {
    const before = await messageCount();
    const response = await act();
    expect(response.status).toBe(status);
    expect(typeof response.body.detail).toBe('string');
    if (detail) expect(response.body.detail).toMatch(detail);
    expect(await messageCount()).toBe(before);
    return response;
  }

  const viewer = () => restClient(server.url, cast.viewer.token);

  it('missing token → 401', () =>
    expectRefused(() => restClient(server.url).post(chatPath, { content: 'hi' }), 401, /not provided/));

  it('unknown token → 401', () =>
    expectRefused(
      () => restClient(server.url, 'not-a-token').post(chatPath, { content: 'hi' }),
      401,
      /Invalid token/,
    ));

  it('expired token → 401', async () => {
    const someone = await seedUser(server.services.env, 'Ex', 'Pired');
    await testDb.database.query(
      `update sessions set expires_at = now() - interval '1 second' where token_hash = $1`,
      [hashToken(someone.token)],
    );
    await expectRefused(() => restClient(server.url, someone.token).post(chatPath, { content: 'hi' }), 401);
  });

  it('malformed JSON → 400', () =>
    expectRefused(() => viewer().post(chatPath, '{"content": "hi"'), 400, /JSON parse error/));

  it('wrong content type → 400', () =>
    expectRefused(
      () =>
        viewer().call('POST', chatPath, 'content=hi', {
          'content-type': 'application/x-www-form-urlencoded',
        }),
      400,
      /Unsupported media type/,
    ));

  it('empty content → 400 with the field error', async () => {
    const response = await expectRefused(() => viewer().post(chatPath, { content: '' }), 400);
    expect(response.body).toEqual({
      error: 'content: This field may not be blank.',
      detail: 'content: This field may not be blank.',
      errors: { content: ['This field may not be blank.'] },
    });
  });

  it('whitespace-only content → 400', () =>
    expectRefused(() => viewer().post(chatPath, { content: ' \n\t ' }), 400, /blank/));

  it('501 characters → 400', () =>
    expectRefused(() => viewer().post(chatPath, { content: 'a'.repeat(501) }), 400, /500/));

  it('content that is an object → 400', () =>
    expectRefused(() => viewer().post(chatPath, { content: { text: 'hi' } }), 400));

  it('content that is a number → 400', () =>
    expectRefused(() => viewer().post(chatPath, { content: 42 }), 400));

  it('missing content → 400 "This field is required."', async () => {
    const response = await expectRefused(() => viewer().post(chatPath, {}), 400);
    expect(response.body.errors).toEqual({ content: ['This field is required.'] });
  });

  it('unknown live id → 404', () =>
    expectRefused(() => viewer().post('/api/posts/live/999999/chat/', { content: 'hi' }), 404));

  it('non-numeric live id → 404', async () => {
    await expectRefused(() => viewer().post('/api/posts/live/abc/chat/', { content: 'hi' }), 404);
    await expectRefused(() => viewer().get('/api/posts/live/1e3/chat/messages/'), 404);
  });

  it('a live that has ended → 400', async () => {
    const live = await seedLive(server.services.env, cast.host.user);
    await endLive(server.services.env, cast.host.user, live.id);
    await expectRefused(
      () => viewer().post(`/api/posts/live/${live.id}/chat/`, { content: 'hi' }),
      400,
      /ended/,
    );
  });

  it('posting while banned → 403', () =>
    expectRefused(
      () => restClient(server.url, cast.banned.token).post(chatPath, { content: 'hi' }),
      403,
      /banned/,
    ));

  it('posting while timed out → 403 with Retry-After', async () => {
    const timedOut = await seedUser(server.services.env, 'Tim', 'Out');
    await timeoutUser(server.services.env, cast.host.user, {
      postId: cast.live.id,
      userId: timedOut.user.id,
      seconds: 120,
    });
    const response = await expectRefused(
      () => restClient(server.url, timedOut.token).post(chatPath, { content: 'hi' }),
      403,
    );
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(100);
  });

  it('a second message inside slow mode → 429 with Retry-After', async () => {
    const live = await seedLive(server.services.env, cast.host.user);
    await setSlowMode(server.services.env, cast.host.user, { postId: live.id, seconds: 30 });
    const path = `/api/posts/live/${live.id}/chat/`;
    expect((await viewer().post(path, { content: 'first' })).status).toBe(201);
    const response = await expectRefused(() => viewer().post(path, { content: 'second' }), 429, /Slow mode/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(25);
  });

  it('over the rate limit → 429 with Retry-After', async () => {
    const live = await seedLive(server.services.env, cast.host.user);
    const path = `/api/posts/live/${live.id}/chat/`;
    const chatty = await seedUser(server.services.env, 'Chatty', 'Cathy');
    const client = restClient(server.url, chatty.token);
    for (let i = 0; i < 3; i++) expect((await client.post(path, { content: `m${i}` })).status).toBe(201);
    const response = await expectRefused(
      () => client.post(path, { content: 'one too many' }),
      429,
      /Too many/,
    );
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it.each(['0', '-1', 'abc'])('page=%s → 404 {"detail": "Invalid page."}', async (page) => {
    const response = await viewer().get(`${chatPath}messages/?page=${page}`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'Invalid page.', detail: 'Invalid page.' });
  });

  it('page_size=100000 is clamped to the maximum', async () => {
    const response = await viewer().get(`${chatPath}messages/?page_size=100000`);
    expect(response.status).toBe(200);
    expect(response.body.results.length).toBeLessThanOrEqual(200);
    expect(response.body.next).toBeNull();
  });

  it('a 1 MB body → 413', () =>
    expectRefused(() => viewer().post(chatPath, JSON.stringify({ content: 'x'.repeat(1024 * 1024) })), 413));

  it('HTML and script are stored as text and returned unchanged', async () => {
    const html = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const created = await viewer().post(chatPath, { content: html });
    expect(created.status).toBe(201);
    expect(created.body.content).toBe(html);
    const page = await viewer().get(`${chatPath}messages/?page=last`);
    expect(page.body.results.at(-1).content).toBe(html);
  });

  it('the messages page: a hidden message is left out for viewers and shown with its text to staff', async () => {
    const live = await seedLive(server.services.env, cast.host.user, { title: 'Pages' });
    const path = `/api/posts/live/${live.id}/chat/`;
    const shown = await restClient(server.url, cast.viewer.token).post(path, { content: 'shown' });
    const hidden = await restClient(server.url, cast.viewer.token).post(path, { content: 'hidden text' });
    await hideMessage(server.services.env, cast.host.user, { postId: live.id, messageId: hidden.body.id });
    const forViewer = await viewer().get(`${path}messages/?page=1`);
    expect(forViewer.body).toEqual({ count: 1, next: null, previous: null, results: [shown.body] });
    // The web client's call (no page parameter): the same rule, as a plain array.
    expect((await viewer().get(`${path}messages/`)).body).toEqual([shown.body]);
    await addModerator(server.services.env, cast.host.user, { postId: live.id, email: cast.moderator.email });
    for (const staff of [cast.host, cast.moderator]) {
      const page = await restClient(server.url, staff.token).get(`${path}messages/?page=last`);
      expect(page.body).toEqual({ count: 2, next: null, previous: null, results: [shown.body, hidden.body] });
      expect((await restClient(server.url, staff.token).get(`${path}messages/`)).body).toEqual([
        shown.body,
        hidden.body,
      ]);
    }
  });

  it('an unknown route is a JSON 404 and a wrong method a 405', async () => {
    expect((await viewer().get('/api/nope/')).status).toBe(404);
    const wrong = await viewer().call('DELETE', chatPath);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
