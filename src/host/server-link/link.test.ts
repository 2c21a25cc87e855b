import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  removeDir,
  startTestChatServer,
  type TestChatServer,
  uniqueEmail,
} from '../sync/testing/fixtures';
import { createHost, type Host } from '../host';
import { hostRouter } from '../routers/index';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const password = 'correct horse battery';

describe('embedded or remote chat server, each with its own cache and account', () => {
  let remote: TestChatServer;
  let host: Host;
  let dataDir: string;
  const caller = () => hostRouter.createCaller({ host, transport: 'direct' });

  beforeAll(async () => {
    remote = await startTestChatServer();
    dataDir = mkdtempSync(join(tmpdir(), 'cc-link-'));
  }, 60_000);
  afterAll(async () => {
    await host?.close();
    await remote?.drop();
    removeDir(dataDir);
  });

  it('starts with no server chosen: nothing to list, sending refused', async () => {
    host = await createHost({ dataDir, backoff: { baseMs: 20, capMs: 200 } });
    const api = caller();
    expect(await api.connection.status()).toMatchObject({ mode: null, server_url: null, state: 'offline' });
    expect(await api.chat.list({ liveId: 1 })).toEqual({ messages: [], hasMore: false });
    await expect(api.chat.send({ liveId: 1, content: 'hello' })).rejects.toThrow(/Choose a chat server/);
    expect(await api.account.current()).toBeNull();
    await expect(api.connection.choose({ mode: 'remote', url: 'ftp://example.test' })).rejects.toThrow(
      /http/,
    );
    expect((await api.connection.status()).mode).toBeNull();
  });

  it('runs the embedded server on loopback, syncs through it, and keeps it apart from a remote server', async () => {
    const api = caller();
    await api.connection.choose({ mode: 'embedded' });
    const status = await api.connection.status();
    expect(status.mode).toBe('embedded');
    expect(status.server_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const embeddedUser = await api.account.register({
      email: uniqueEmail('embedded'),
      password,
      first_name: 'Lina',
      last_name: 'Haddad',
    });
    const live = await api.lives.create({ title: 'On this computer', description: '' });
    await api.lives.start({ liveId: live.id });
    const sent = await api.chat.send({ liveId: live.id, content: 'from the embedded server' });
    await eventually(async () => {
      const m = (await api.chat.list({ liveId: live.id })).messages.find(
        (x) => x.client_id === sent.client_id,
      );
      expect(m?.status).toBe('sent');
    }, 30_000);
    expect(host.sync.clockOffsetMs()).not.toBeNull();
    // Same process, same clock: the measured offset is small.
    expect(Math.abs(host.sync.clockOffsetMs()!)).toBeLessThan(1000);

    await api.connection.choose({ mode: 'remote', url: `${remote.url}/` });
    expect(await api.connection.status()).toMatchObject({ mode: 'remote', server_url: remote.url });
    expect(await api.account.current()).toBeNull();
    // Live ids of two servers may collide (both start at 1): the remote cache must not show the embedded chat.
    expect((await api.chat.list({ liveId: live.id })).messages).toEqual([]);
    await api.account.register({
      email: uniqueEmail('remote'),
      password,
      first_name: 'Lina',
      last_name: 'H',
    });
    const remoteLive = await api.lives.create({ title: 'Remote', description: '' });
    await api.lives.start({ liveId: remoteLive.id });
    await api.chat.send({ liveId: remoteLive.id, content: 'from the remote server' });

    await api.connection.choose({ mode: 'embedded' });
    expect(await api.account.current()).toMatchObject({ id: embeddedUser.id, email: embeddedUser.email });
    const back = (await api.chat.list({ liveId: live.id })).messages.map((m) => m.content);
    expect(back).toContain('from the embedded server');
    expect(back).not.toContain('from the remote server');
  }, 120_000);

  it('resumes the saved choice after a restart', async () => {
    await host.close();
    host = await createHost({ dataDir, backoff: { baseMs: 20, capMs: 200 } });
    expect((await caller().connection.status()).mode).toBe('embedded');
    await eventually(async () => expect((await caller().connection.status()).state).toBe('online'), 30_000);
  }, 120_000);
});
