import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningChatServer, startChatServer } from '../http';
import { seedCast, seedUser } from '../testing/fixtures';
import { restClient } from '../testing/rest-client';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { chatClient } from '../testing/trpc-client';

describe(`REST moderation routes (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;
  let cast: Awaited<ReturnType<typeof seedCast>>;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startChatServer({ database: testDb.database, limits: { rateViewer: 1000 } });
    cast = await seedCast(server.services.env);
  }, 180_000);
  afterAll(async () => {
    for (const close of closers) close();
    await server?.close();
    await testDb?.drop();
  });

  const rest = (who: { token: string } | null) => restClient(server.url, who?.token ?? null);
  const messagesPath = (postId: number) => `/api/posts/live/${postId}/chat/messages/`;
  const post = async (who: { token: string }, postId: number, content: string) => {
    const response = await rest(who).post(`/api/posts/live/${postId}/chat/`, { content });
    expect(response.status).toBe(201);
    return response.body as { id: number };
  };
  const flags = async (messageId: number) =>
    (
      await testDb.database.query<{ hidden: boolean; deleted: boolean }>(
        `select hidden, deleted from chat_messages where id = ${messageId}`,
      )
    )[0]!;
  const logSize = async () =>
    Number((await testDb.database.query<{ n: string }>('select count(*) as n from moderation_log'))[0]!.n);

  it('a moderator of live A is nobody on live B: 403 from REST and from tRPC, nothing changes', async () => {
    const onB = await post(cast.viewer, cast.otherLive.id, 'on live B');
    const before = await logSize();
    const response = await rest(cast.moderator).post(`${messagesPath(cast.otherLive.id)}${onB.id}/hide/`, {});
    expect(response.status).toBe(403);
    expect(response.body.detail).toMatch(/host and the moderators/);
    const trpc = chatClient(server.url, cast.moderator.token);
    closers.push(trpc.close);
    const refused = await trpc.client.moderation.hide
      .mutate({ postId: cast.otherLive.id, messageId: onB.id })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<never>).data).toMatchObject({ httpStatus: 403, refusal: 'forbidden' });
    expect(await flags(onB.id)).toEqual({ hidden: false, deleted: false });
    expect(await logSize()).toBe(before);
  });

  it('a viewer cannot moderate (403 on every route)', async () => {
    const message = await post(cast.viewer, cast.live.id, 'mine');
    const viewer = rest(cast.viewer);
    const base = `/api/posts/live/${cast.live.id}`;
    expect((await viewer.post(`${base}/chat/messages/${message.id}/hide/`)).status).toBe(403);
    expect((await viewer.call('DELETE', `${base}/chat/messages/${message.id}/`)).status).toBe(403);
    expect((await viewer.post(`${base}/bans/`, { user_id: cast.moderator.user.id })).status).toBe(403);
    expect((await viewer.call('DELETE', `${base}/bans/${cast.banned.user.id}/`)).status).toBe(403);
    expect((await viewer.get(`${base}/moderation/log/?format=csv`)).status).toBe(403);
    expect(await flags(message.id)).toEqual({ hidden: false, deleted: false });
  });

  it('hide, unhide and delete change what viewers get, with the reason logged', async () => {
    const message = await post(cast.viewer, cast.live.id, 'rude words');
    const host = rest(cast.host);
    const base = `${messagesPath(cast.live.id)}${message.id}`;
    const hidden = await host.post(`${base}/hide/`, { reason: 'rude' });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ id: message.id, hidden: true });
    const seen = await rest(cast.viewer).get(`${messagesPath(cast.live.id)}?page_size=100&page=last`);
    expect(seen.body.results.map((m: { id: number }) => m.id)).not.toContain(message.id);
    expect((await host.post(`${base}/unhide/`)).body).toMatchObject({ hidden: false });
    const deleted = await host.call('DELETE', `${base}/`, { reason: 'spam' });
    expect(deleted.status).toBe(204);
    expect(await flags(message.id)).toEqual({ hidden: false, deleted: true });
    const log = await host.get(`/api/posts/live/${cast.live.id}/moderation/log/`);
    expect(
      log.body
        .slice(0, 3)
        .reverse()
        .map((e: { action: string; reason: string }) => [e.action, e.reason]),
    ).toEqual([
      ['hide', 'rude'],
      ['unhide', null],
      ['delete', 'spam'],
    ]);
    expect((await host.call('DELETE', `${messagesPath(cast.live.id)}999999/`)).status).toBe(404);
  });

  it('bad ban bodies get a 400 with field errors and change nothing', async () => {
    const host = rest(cast.host);
    const path = `/api/posts/live/${cast.live.id}/bans/`;
    const before = await logSize();
    const missing = await host.post(path, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual({ user_id: ['This field is required.'] });
    expect((await host.post(path, { user_id: cast.viewer.user.id, seconds: 0 })).status).toBe(400);
    expect((await host.post(path, { user_id: 'x' })).status).toBe(400);
    expect((await host.post(path, { user_id: 99_999_999 })).status).toBe(404);
    // The host and moderators are out of reach.
    expect((await host.post(path, { user_id: cast.moderator.user.id })).status).toBe(403);
    expect(await logSize()).toBe(before);
  });

  it('a banned user cannot post (403) until unbanned', async () => {
    const someone = await seedUser(server.services.env, 'Soon', 'Banned');
    const host = rest(cast.host);
    const ban = await host.post(`/api/posts/live/${cast.live.id}/bans/`, {
      user_id: someone.user.id,
      reason: 'abuse',
    });
    expect(ban.status).toBe(201);
    expect(ban.body).toMatchObject({ userId: someone.user.id, until: null });
    const refused = await rest(someone).post(`/api/posts/live/${cast.live.id}/chat/`, {
      content: 'let me in',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/banned/);
    expect(
      (await host.call('DELETE', `/api/posts/live/${cast.live.id}/bans/${someone.user.id}/`)).status,
    ).toBe(204);
    await post(someone, cast.live.id, 'back again');
  });

  it('a timed-out user is refused (403, Retry-After) and can post again after the timeout', async () => {
    const someone = await seedUser(server.services.env, 'Time', 'Out');
    const timeout = await rest(cast.moderator).post(`/api/posts/live/${cast.live.id}/bans/`, {
      user_id: someone.user.id,
      seconds: 1,
    });
    expect(timeout.status).toBe(201);
    expect(Date.parse(timeout.body.until)).toBeGreaterThan(Date.now() - 1000);
    const refused = await rest(someone).post(`/api/posts/live/${cast.live.id}/chat/`, { content: 'now?' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('retry-after')).toBe('1');
    const waitMs = Date.parse(timeout.body.until) - Date.now() + 100;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs)));
    await post(someone, cast.live.id, 'and now');
  });

  it('exports the log as CSV for staff: one row per entry with names, formulas defused', async () => {
    const target = await seedUser(server.services.env, '=HYPERLINK("x")', 'Sly');
    await rest(cast.host).post(`/api/posts/live/${cast.live.id}/bans/`, {
      user_id: target.user.id,
      reason: 'says "hi", then, leaves',
    });
    const response = await rest(cast.moderator).get(
      `/api/posts/live/${cast.live.id}/moderation/log/?format=csv`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.csv"/);
    const lines = (response.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '"id","created_at","action","actor_id","actor_name","target_user_id","target_user_name","target_message_id","reason","details"',
    );
    expect(lines).toHaveLength(1 + (await logSizeOf(cast.live.id)));
    const last = lines[lines.length - 1]!;
    expect(last).toContain('"ban"');
    expect(last).toContain('"Mariam Diallo"');
    expect(last).toContain(`"'=HYPERLINK(""x"") Sly"`);
    expect(last).toContain('"says ""hi"", then, leaves"');
    const bad = await rest(cast.host).get(`/api/posts/live/${cast.live.id}/moderation/log/?format=xml`);
    expect(bad.status).toBe(400);
  });

  it('pages the JSON log with before_id and limit (at most 500)', async () => {
    const logPath = `/api/posts/live/${cast.live.id}/moderation/log/`;
    const host = rest(cast.host);
    const first = await host.get(`${logPath}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(2);
    expect(first.body[0].id).toBeGreaterThan(first.body[1].id);
    const next = await host.get(`${logPath}?limit=2&before_id=${first.body[1].id}`);
    expect(next.body[0].id).toBeLessThan(first.body[1].id);
    expect((await host.get(`${logPath}?limit=501`)).status).toBe(400);
    expect((await host.get(`${logPath}?before_id=abc`)).status).toBe(400);
  });

  const logSizeOf = async (postId: number) =>
    Number(
      (
        await testDb.database.query<{ n: string }>(
          `select count(*) as n from moderation_log where post_id = ${postId}`,
        )
      )[0]!.n,
    );
});
