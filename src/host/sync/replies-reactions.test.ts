import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const password = 'correct horse battery';

/** Issue 16 through the host: replies and reactions typed offline reach the server once, linked up. */
describe.each(DATABASE_KINDS)('replies and reactions through two studios on %s', (kind) => {
  let server: TestChatServer;
  let host: TestHost;
  let viewer: TestHost;
  let liveId: number;

  beforeAll(async () => {
    server = await startTestChatServer(kind);
    host = await startTestHost(server.url);
    viewer = await startTestHost(server.url);
    await host.api.account.register({
      email: uniqueEmail('host'),
      password,
      first_name: 'Awa',
      last_name: 'Ndiaye',
    });
    await viewer.api.account.register({
      email: uniqueEmail('viewer'),
      password,
      first_name: 'Bo',
      last_name: 'Lee',
    });
    const live = await host.api.lives.create({ title: 'Réponses', description: '' });
    await host.api.lives.start({ liveId: live.id });
    liveId = live.id;
    await viewer.api.lives.list();
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    await viewer?.close();
    await server?.drop();
    for (const studio of [host, viewer]) if (studio) removeDir(studio.dataDir);
  });

  const serverRows = () =>
    server.testDatabase.database.query<{
      id: string;
      content: string;
      reply_to_id: string | null;
      type: string;
    }>('select id, content, reply_to_id, type from chat_messages where post_id = $1 order by id', [liveId]);
  const listed = async (studio: TestHost, content: string) =>
    (await studio.api.chat.list({ liveId })).messages.find((m) => m.content === content);

  it('offline: a reply to a message still pending links up, and toggles reach the server as their last word', async () => {
    await server.stop();
    await eventually(async () => expect((await host.api.connection.status()).state).toBe('offline'));
    const question = await host.api.chat.send({ liveId, content: 'Qui vient samedi ?' });
    const answer = await host.api.chat.send({ liveId, content: 'Moi !', replyTo: question.client_id });
    expect(answer).toMatchObject({
      reply_to: null,
      reply_to_client_id: question.client_id,
      status: 'pending',
    });
    const party = await host.api.chat.send({ liveId, content: '🎉🎉' });
    expect(party.type).toBe('emoji');
    // 👍 given, 🔥 given then taken back, ❤️ given: shown at once, offline.
    await host.api.chat.react({ clientId: question.client_id, emoji: '👍' });
    await host.api.chat.react({ clientId: question.client_id, emoji: '🔥' });
    await host.api.chat.react({ clientId: question.client_id, emoji: '🔥' });
    const shown = await host.api.chat.react({ clientId: question.client_id, emoji: '❤️' });
    expect(shown.reactions).toEqual([
      { emoji: '👍', count: 1, mine: true },
      { emoji: '❤️', count: 1, mine: true },
    ]);

    await server.start();
    await eventually(async () => {
      const rows = await serverRows();
      const parent = rows.find((r) => r.content === 'Qui vient samedi ?');
      const reply = rows.find((r) => r.content === 'Moi !');
      expect(parent && reply?.reply_to_id).toBe(parent?.id);
      expect(rows.find((r) => r.content === '🎉🎉')?.type).toBe('emoji');
      const given = await server.testDatabase.database.query<{ emoji: string; removed_at: unknown }>(
        `select emoji, removed_at from chat_reactions where message_id = $1 order by id`,
        [Number(parent!.id)],
      );
      // 🔥 was given and taken back offline: the server never saw it.
      expect(given.map((r) => [r.emoji, r.removed_at])).toEqual([
        ['👍', null],
        ['❤️', null],
      ]);
    }, 30_000);
    await eventually(async () => expect((await host.api.connection.status()).pending).toBe(0));
    const sentReply = await eventually(async () => {
      const reply = await listed(host, 'Moi !');
      expect(reply?.status).toBe('sent');
      return reply!;
    });
    const sentQuestion = (await listed(host, 'Qui vient samedi ?'))!;
    expect(sentReply.reply_to).toBe(sentQuestion.server_id);
  }, 60_000);

  it('the other studio sees the reply and the counts, and its own reaction is `mine` there only', async () => {
    const question = await eventually(async () => {
      const found = await listed(viewer, 'Qui vient samedi ?');
      expect(found?.reactions.length).toBe(2);
      return found!;
    });
    expect(question.reactions.every((reaction) => !reaction.mine)).toBe(true);
    const reply = await eventually(async () => {
      const found = await listed(viewer, 'Moi !');
      expect(found).toBeDefined();
      return found!;
    });
    expect(reply.reply_to).toBe(question.server_id);
    await viewer.api.chat.react({ clientId: question.client_id, emoji: '👍' });
    await eventually(async () => {
      expect((await listed(host, 'Qui vient samedi ?'))?.reactions[0]).toEqual({
        emoji: '👍',
        count: 2,
        mine: true,
      });
      expect((await listed(viewer, 'Qui vient samedi ?'))?.reactions[0]).toEqual({
        emoji: '👍',
        count: 2,
        mine: true,
      });
    }, 20_000);
  }, 60_000);

  it('each studio copies when and by whom reactions were given: names on hover, offline too', async () => {
    const question = (await listed(viewer, 'Qui vient samedi ?'))!;
    await eventually(async () => {
      for (const studio of [host, viewer])
        expect(await studio.api.chat.reactionGivers({ serverId: question.server_id! })).toEqual([
          { emoji: '👍', names: ['Awa Ndiaye', 'Bo Lee'] },
          { emoji: '❤️', names: ['Awa Ndiaye'] },
        ]);
    }, 20_000);
    // Taken back: the copy follows (the history's `since` answer carries the change).
    await viewer.api.chat.react({ clientId: question.client_id, emoji: '👍' });
    await eventually(async () => {
      expect(await host.api.chat.reactionGivers({ serverId: question.server_id! })).toEqual([
        { emoji: '👍', names: ['Awa Ndiaye'] },
        { emoji: '❤️', names: ['Awa Ndiaye'] },
      ]);
    }, 20_000);
    const rows = host.host.database.sqlite
      .prepare('select count(*) as n from reaction_history where message_server_id = ?')
      .get(question.server_id) as { n: number };
    expect(rows.n).toBe(3); // 👍 Awa, ❤️ Awa, 👍 Bo (given and taken back): each once
  }, 60_000);
});
