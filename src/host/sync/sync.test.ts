import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedMessage } from '../../shared/wire';
import {
  DATABASE_KINDS,
  eventually,
  removeDir,
  startTestChatServer,
  startTestHost,
  type TestChatServer,
  type TestHost,
  uniqueEmail,
} from './testing/fixtures';
import { serverCaller } from './testing/server-caller';

const password = 'correct horse battery';

describe.each(DATABASE_KINDS)('host sync against a real chat server on %s', (kind) => {
  let server: TestChatServer;
  let studio: TestHost;
  let liveId: number;
  const dirs: string[] = [];

  beforeAll(async () => {
    server = await startTestChatServer(kind);
    studio = await startTestHost(server.url);
    dirs.push(studio.dataDir);
    await studio.api.account.register({
      email: uniqueEmail('host'),
      password,
      first_name: 'Awa',
      last_name: 'Ndiaye',
    });
    const live = await studio.api.lives.create({ title: 'Sync live', description: '' });
    await studio.api.lives.start({ liveId: live.id });
    liveId = live.id;
  }, 60_000);

  afterAll(async () => {
    await studio?.close();
    await server?.drop();
    for (const dir of dirs) removeDir(dir);
  });

  const serverRows = (id: number) =>
    server.testDatabase.database.query<{ id: string; client_id: string; content: string }>(
      'select id, client_id::text as client_id, content from chat_messages where post_id = $1 order by id',
      [id],
    );

  it('sends at once as pending, then the server makes it sent (same client_id, server id, version)', async () => {
    const sent = await studio.api.chat.send({ liveId, content: '  Bonjour à tous  ' });
    expect(sent).toMatchObject({ status: 'pending', content: 'Bonjour à tous', server_id: null });
    const after = await eventually(async () => {
      const { messages } = await studio.api.chat.list({ liveId });
      const mine = messages.find((m) => m.client_id === sent.client_id);
      expect(mine?.status).toBe('sent');
      return mine!;
    });
    expect(after.server_id).toBeGreaterThan(0);
    expect(after.version).toBeGreaterThan(0);
    expect((await studio.api.connection.status()).state).toBe('online');
  });

  it('offline send: 50 messages typed while the server is down all arrive once, in order, and become sent', async () => {
    await server.stop();
    await eventually(async () => expect((await studio.api.connection.status()).state).toBe('offline'));
    const typed: CachedMessage[] = [];
    for (let i = 0; i < 50; i++) typed.push(await studio.api.chat.send({ liveId, content: `offline ${i}` }));
    expect((await studio.api.connection.status()).pending).toBe(50);
    await server.start();
    await eventually(async () => {
      const status = await studio.api.connection.status();
      expect(status).toMatchObject({ state: 'online', pending: 0 });
    }, 30_000);
    const rows = (await serverRows(liveId)).filter((r) => r.content.startsWith('offline '));
    expect(rows.map((r) => r.content)).toEqual(typed.map((m) => m.content));
    expect(rows.map((r) => r.client_id)).toEqual(typed.map((m) => m.client_id));
    const { messages } = await studio.api.chat.list({ liveId, limit: 100 });
    const cached = messages.filter((m) => m.content.startsWith('offline '));
    expect(cached.map((m) => m.status)).toEqual(Array(50).fill('sent'));
    expect(cached.map((m) => m.server_id)).toEqual(rows.map((r) => Number(r.id)));
  }, 60_000);

  it('moderation while the host is down: after restart the cache shows the message hidden', async () => {
    const sent = await studio.api.chat.send({ liveId, content: 'to be hidden' });
    const accepted = await eventually(async () => {
      const m = (await studio.api.chat.list({ liveId })).messages.find((x) => x.client_id === sent.client_id);
      expect(m?.status).toBe('sent');
      return m!;
    });
    const token = studio.host.accounts.get(studio.host.link.target!.serverKey)!.token;
    await studio.close();
    await serverCaller(server.url, token).mutate('moderation.hide', {
      postId: liveId,
      messageId: accepted.server_id,
      reason: 'test',
    });
    studio = await startTestHost(server.url, studio.dataDir);
    await eventually(async () => {
      const m = (await studio.api.chat.list({ liveId })).messages.find((x) => x.client_id === sent.client_id);
      expect(m?.hidden).toBe(true);
    });
  }, 60_000);

  it('a refusal makes the message rejected with the server’s reason; retry pushes again, discard removes it', async () => {
    const ended = await studio.api.lives.create({ title: 'Already over', description: '' });
    await studio.api.lives.start({ liveId: ended.id });
    await studio.api.lives.end({ liveId: ended.id });
    const seen: string[] = [];
    const changes = await studio.api.chat.onChange({ liveId: ended.id });
    const reading = (async () => {
      for await (const change of changes) {
        for (const m of change.messages) seen.push(`${m.status}${m.deleted ? ':deleted' : ''}`);
        if (seen.length >= 5) return;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = await studio.api.chat.send({ liveId: ended.id, content: 'too late' });
    const rejected = await eventually(async () => {
      const m = (await studio.api.chat.list({ liveId: ended.id })).messages[0];
      expect(m?.status).toBe('rejected');
      return m!;
    });
    expect(rejected).toMatchObject({ client_id: sent.client_id, server_id: null });
    expect(rejected.reason).toMatch(/ended/);
    expect((await studio.api.connection.status()).pending).toBe(0);
    // Retry: pending again, refused again (the live is still over).
    expect(await studio.api.chat.retry({ clientId: sent.client_id })).toMatchObject({ status: 'pending' });
    await eventually(async () => {
      expect((await studio.api.chat.list({ liveId: ended.id })).messages[0]?.status).toBe('rejected');
    });
    await studio.api.chat.discard({ clientId: sent.client_id });
    expect((await studio.api.chat.list({ liveId: ended.id })).messages).toEqual([]);
    await expect(studio.api.chat.discard({ clientId: sent.client_id })).rejects.toThrow(
      /No rejected message/,
    );
    await reading;
    // What the renderer was told, in order: typed, refused, retried, refused again, dropped.
    expect(seen).toEqual(['pending', 'rejected', 'pending', 'rejected', 'rejected:deleted']);
    const onServer = await server.testDatabase.database.query(
      'select 1 from chat_messages where client_id = $1::uuid',
      [sent.client_id],
    );
    expect(onServer).toHaveLength(0);
  });

  it('refuses bad input before the outbox: empty, too long, unknown live, bad ids', async () => {
    const before = studio.host.chat.pendingCount(studio.host.link.target!.serverKey);
    const listed = (await studio.api.chat.list({ liveId, limit: 1000 })).messages.length;
    await expect(studio.api.chat.send({ liveId, content: '   ' })).rejects.toThrow(/blank/);
    await expect(studio.api.chat.send({ liveId, content: 'x'.repeat(501) })).rejects.toThrow(/500/);
    await expect(studio.api.chat.send({ liveId: 987654, content: 'hello' })).rejects.toThrow(/Unknown live/);
    await expect(studio.api.chat.send({ liveId: -1, content: 'hello' })).rejects.toThrow();
    await expect(studio.api.chat.send({ liveId, content: 42 as unknown as string })).rejects.toThrow();
    await expect(studio.api.chat.retry({ clientId: 'nope' })).rejects.toThrow();
    expect(studio.host.chat.pendingCount(studio.host.link.target!.serverKey)).toBe(before);
    expect((await studio.api.chat.list({ liveId, limit: 1000 })).messages.length).toBe(listed);
  });
});
