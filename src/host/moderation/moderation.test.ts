import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/wire';
import {
  DATABASE_KINDS,
  eventually,
  removeDir,
  startTestChatServer,
  startTestHost,
  type TestChatServer,
  type TestHost,
  uniqueEmail,
} from '../sync/testing/fixtures';
import { serverCaller } from '../sync/testing/server-caller';

const password = 'correct horse battery';
// Postgres when the run has one (faster to start), else PGlite: this file is about the host, not the database.
const kind = DATABASE_KINDS[DATABASE_KINDS.length - 1]!;

async function registerOnServer(url: string, first: string) {
  const anonymous = createTRPCUntypedClient({ links: [httpLink({ url: `${url}/trpc` })] });
  const email = uniqueEmail(first.toLowerCase());
  const session = (await anonymous.mutation('auth.register', {
    email,
    password,
    first_name: first,
    last_name: 'Test',
  })) as { token: string; user: { id: number } };
  return { email, id: session.user.id, api: serverCaller(url, session.token) };
}

describe(`moderation from the host (${kind})`, () => {
  let server: TestChatServer;
  let studio: TestHost;
  let liveId: number;
  let viewer: Awaited<ReturnType<typeof registerOnServer>>;
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
    const live = await studio.api.lives.create({ title: 'Moderated live', description: '' });
    await studio.api.lives.start({ liveId: live.id });
    liveId = live.id;
    viewer = await registerOnServer(server.url, 'Viewer');
  }, 90_000);

  afterAll(async () => {
    await studio?.close();
    await server?.drop();
    for (const dir of dirs) removeDir(dir);
  });

  const viewerSays = (content: string) =>
    viewer.api.mutate<Message>('chat.send', { postId: liveId, clientId: crypto.randomUUID(), content });
  const cached = (clientId: string) => studio.host.chat.get(studio.host.link.target!.serverKey, clientId);
  const hideLogRows = (messageId: number) =>
    server.testDatabase.database.query<{ n: number }>(
      `select count(*)::int as n from moderation_log where action = 'hide' and target_message_id = $1`,
      [messageId],
    );

  it('online: hide applies at once and the cache shows it hidden', async () => {
    await studio.api.chat.list({ liveId });
    const message = await viewerSays('un message limite');
    await eventually(() => expect(cached(message.client_id)?.status).toBe('sent'));
    const entry = await studio.api.moderation.act({
      action: 'hide',
      liveId,
      clientId: message.client_id,
      reason: 'hors sujet',
    });
    expect(entry).toMatchObject({
      status: 'applied',
      action: 'hide',
      reason: 'hors sujet',
      message_id: message.id,
    });
    expect(cached(message.client_id)?.hidden).toBe(true);
    const log = await studio.api.moderation.log({ liveId });
    expect(log.offline).toBe(false);
    expect(log.entries[0]).toMatchObject({
      action: 'hide',
      target_message_id: message.id,
      reason: 'hors sujet',
    });
  });

  it('offline: hide is queued, applied once after reconnect, and the cache and pane feed show it hidden', async () => {
    const message = await viewerSays('à masquer hors ligne');
    await eventually(() => expect(cached(message.client_id)?.status).toBe('sent'));
    await server.stop();
    await eventually(() => expect(studio.host.status.get().state).toBe('offline'));

    const changes: boolean[] = [];
    const stop = studio.host.chat.changes.listen((change) => {
      for (const m of change.messages) if (m.client_id === message.client_id) changes.push(m.hidden);
    });
    const queued = await studio.api.moderation.act({ action: 'hide', liveId, clientId: message.client_id });
    expect(queued.status).toBe('pending');
    expect(cached(message.client_id)?.hidden).toBe(false);
    // Offline the log still answers, from the cache, with the queued action beside it.
    const offlineLog = await studio.api.moderation.log({ liveId });
    expect(offlineLog.offline).toBe(true);
    expect(offlineLog.local[0]).toMatchObject({ seq: queued.seq, status: 'pending' });

    await server.start();
    await eventually(() => expect(cached(message.client_id)?.hidden).toBe(true), 20_000);
    await eventually(async () => {
      const local = await studio.api.moderation.local({ liveId });
      expect(local.find((e) => e.seq === queued.seq)?.status).toBe('applied');
    });
    stop();
    expect(changes).toContain(true);
    // What the renderer's chat pane reads: the same row, hidden.
    const { messages } = await studio.api.chat.list({ liveId });
    expect(messages.find((m) => m.client_id === message.client_id)?.hidden).toBe(true);
    expect((await hideLogRows(message.id))[0]!.n).toBe(1);
  }, 60_000);

  it('a row queued before client action ids gets one before it is sent, kept on disk, and the server records it', async () => {
    const target = await registerOnServer(server.url, 'Legacy');
    await server.stop();
    await eventually(() => expect(studio.host.status.get().state).toBe('offline'));
    const queued = await studio.api.moderation.act({ action: 'ban', liveId, userId: target.id });
    expect(queued).toMatchObject({
      status: 'pending',
      client_action_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // As a row written by a studio from before the column.
    studio.host.database.sqlite
      .prepare('update moderation_outbox set client_action_id = null where seq = ?')
      .run(queued.seq);
    await server.start();
    const applied = await eventually(async () => {
      const entry = (await studio.api.moderation.local({ liveId })).find((e) => e.seq === queued.seq);
      expect(entry?.status).toBe('applied');
      return entry!;
    }, 20_000);
    expect(applied.client_action_id).toMatch(/^[0-9a-f-]{36}$/);
    const recorded = await server.testDatabase.database.query<{ action: string }>(
      'select action from moderation_action_ids where client_action_id = $1::uuid',
      [applied.client_action_id],
    );
    expect(recorded).toEqual([{ action: 'ban' }]);
    await studio.api.moderation.act({ action: 'unban', liveId, userId: target.id });
  }, 60_000);

  it('a moderator of another live is refused: the action comes back rejected and nothing changes', async () => {
    const other = await registerOnServer(server.url, 'Other');
    const otherLive = await other.api.mutate<{ id: number }>('lives.create', { title: 'Live B' });
    await other.api.mutate('lives.start', { postId: otherLive.id });
    const message = await other.api.mutate<Message>('chat.send', {
      postId: otherLive.id,
      clientId: crypto.randomUUID(),
      content: 'sur le live B',
    });
    // Our studio sees live B (it is listed) and its chat, but holds no role there.
    await studio.api.lives.get({ liveId: otherLive.id });
    await studio.api.chat.list({ liveId: otherLive.id });
    await eventually(() => expect(cached(message.client_id)?.status).toBe('sent'));
    const entry = await studio.api.moderation.act({
      action: 'hide',
      liveId: otherLive.id,
      clientId: message.client_id,
    });
    expect(entry.status).toBe('rejected');
    expect(entry.error).toMatch(/host|moderator/i);
    expect(cached(message.client_id)?.hidden).toBe(false);
    expect((await hideLogRows(message.id))[0]!.n).toBe(0);
  });

  it('a timed-out viewer is refused, then may post again once the timeout is over', async () => {
    const entry = await studio.api.moderation.act({
      action: 'timeout',
      liveId,
      userId: viewer.id,
      seconds: 2,
    });
    expect(entry.status).toBe('applied');
    await expect(viewerSays('pendant le timeout')).rejects.toThrow(/time|exclu|restricted/i);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    await expect(viewerSays('après le timeout')).resolves.toMatchObject({ content: 'après le timeout' });
  });

  it('bad input is refused before anything is queued', async () => {
    const before = (await studio.api.moderation.local({ liveId })).length;
    await expect(
      studio.api.moderation.act({ action: 'hide', liveId, clientId: crypto.randomUUID() }),
    ).rejects.toThrow(/No such message/);
    await expect(
      // @ts-expect-error: an unknown action is a validation error
      studio.api.moderation.act({ action: 'explode', liveId }),
    ).rejects.toThrow();
    expect((await studio.api.moderation.local({ liveId })).length).toBe(before);
  });
});
