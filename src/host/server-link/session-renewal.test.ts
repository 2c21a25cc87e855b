import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  removeDir,
  startTestChatServer,
  startTestHost,
  type TestChatServer,
  type TestHost,
  uniqueEmail,
} from '../sync/testing/fixtures';

/** Access tokens that expire within the test, as they do after an hour in production. */
const ACCESS_TTL_MS = 1500;

describe('the studio renews an expired access token without asking the user to sign in again', () => {
  let server: TestChatServer;
  let studio: TestHost;
  let liveId: number;

  beforeAll(async () => {
    server = await startTestChatServer('pglite', { accessTokenTtlMs: ACCESS_TTL_MS });
    studio = await startTestHost(server.url);
    await studio.api.account.register({
      email: uniqueEmail('renew'),
      password: 'correct horse battery',
      first_name: 'Awa',
      last_name: 'Ndiaye',
    });
    const live = await studio.api.lives.create({ title: 'Renewal', description: '' });
    await studio.api.lives.start({ liveId: live.id });
    liveId = live.id;
  }, 60_000);
  afterAll(async () => {
    await studio?.close();
    await server?.drop();
    if (studio) removeDir(studio.dataDir);
  });

  const serverKey = () => studio.host.link.requireTarget().serverKey;
  const expire = () => new Promise((resolve) => setTimeout(resolve, ACCESS_TTL_MS + 300));

  it('a call after expiry succeeds with a renewed token, and the chat keeps syncing', async () => {
    const before = studio.host.accounts.get(serverKey())!;
    expect(before.refresh).toEqual(expect.any(String));
    await expire();
    const lives = await studio.api.lives.list();
    expect(lives.map((live) => live.id)).toContain(liveId);
    const after = studio.host.accounts.get(serverKey())!;
    expect(after.token).not.toBe(before.token);
    expect(after.refresh).toBe(before.refresh);

    await expire();
    const sent = await studio.api.chat.send({ liveId, content: 'toujours là' });
    await eventually(async () => {
      const { messages } = await studio.api.chat.list({ liveId });
      expect(messages.find((m) => m.client_id === sent.client_id)?.status).toBe('sent');
    });
  }, 60_000);

  it('a refresh token revoked on the server leaves the call refused: the studio asks to sign in', async () => {
    await server.testDatabase.database.query('delete from refresh_tokens');
    await expire();
    await expect(studio.api.lives.list()).rejects.toThrow();
  }, 30_000);
});
