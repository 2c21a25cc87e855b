import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../shared/wire';
import { type RunningChatServer, startChatServer } from '../http';
import { seedCast } from '../testing/fixtures';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { chatClient } from '../testing/trpc-client';

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Held messages, release and pins as connected clients live them: through the subscription. */
describe(`moderation reaches subscribers (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;
  let cast: Awaited<ReturnType<typeof seedCast>>;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startChatServer({ database: testDb.database });
    cast = await seedCast(server.services.env);
  }, 180_000);
  afterAll(async () => {
    for (const close of closers) close();
    await server?.close();
    await testDb?.drop();
  });

  function connect(token: string) {
    const { client, close } = chatClient(server.url, token);
    closers.push(close);
    return client;
  }
  async function listen(token: string, postId: number) {
    const client = connect(token);
    const { cursor } = await client.chat.pull.query({ postId, cursor: 0 });
    const received: ChatEvent[] = [];
    const subscription = client.chat.events.subscribe(
      { postId, lastEventId: String(cursor) },
      { onData: (data) => received.push(data.data) },
    );
    closers.push(() => subscription.unsubscribe());
    return received;
  }
  const messageEvents = (events: ChatEvent[], id: number) =>
    events.flatMap((e) => (e.type === 'message' && e.message.id === id ? [e.message] : []));

  it('a held message reaches staff with its text and viewers as a blank marker; release publishes it', async () => {
    const postId = cast.live.id;
    const moderator = connect(cast.moderator.token);
    await moderator.moderation.setBlockedTerms.mutate({ postId, terms: ['casino'] });
    const staffSeen = await listen(cast.moderator.token, postId);
    const viewerSeen = await listen(cast.otherModerator.token, postId);
    const sender = connect(cast.viewer.token);
    const sent = await sender.chat.send.mutate({
      postId,
      clientId: randomUUID(),
      content: 'Best CASINO here',
    });
    expect(sent).toMatchObject({ held: true, content: 'Best CASINO here' });
    await waitFor(() => messageEvents(viewerSeen, sent.id).length === 1, 'the viewer’s marker');
    await waitFor(() => messageEvents(staffSeen, sent.id).length === 1, 'the staff’s copy');
    expect(messageEvents(viewerSeen, sent.id)[0]).toMatchObject({ held: true, content: '' });
    expect(messageEvents(staffSeen, sent.id)[0]).toMatchObject({ held: true, content: 'Best CASINO here' });

    await moderator.moderation.release.mutate({ postId, messageId: sent.id, reason: 'ok after all' });
    await waitFor(() => messageEvents(viewerSeen, sent.id).length === 2, 'the release');
    expect(messageEvents(viewerSeen, sent.id)[1]).toMatchObject({ held: false, content: 'Best CASINO here' });
    await moderator.moderation.setBlockedTerms.mutate({ postId, terms: [] });
  });

  it('the author of a held message gets its text in their live events, as in the pull', async () => {
    const postId = cast.live.id;
    const moderator = connect(cast.moderator.token);
    await moderator.moderation.setBlockedTerms.mutate({ postId, terms: ['casino'] });
    const authorSeen = await listen(cast.viewer.token, postId);
    const otherSeen = await listen(cast.otherModerator.token, postId);
    const sender = connect(cast.viewer.token);
    const sent = await sender.chat.send.mutate({ postId, clientId: randomUUID(), content: 'My CASINO tip' });
    expect(sent.held).toBe(true);
    await waitFor(() => messageEvents(authorSeen, sent.id).length === 1, 'the author’s copy');
    await waitFor(() => messageEvents(otherSeen, sent.id).length === 1, 'the other viewer’s marker');
    expect(messageEvents(authorSeen, sent.id)[0]).toMatchObject({ held: true, content: 'My CASINO tip' });
    expect(messageEvents(otherSeen, sent.id)[0]).toMatchObject({ held: true, content: '' });
    const pulled = await sender.chat.pull.query({ postId, cursor: sent.version - 1 });
    const inPull = pulled.events.find((e) => e.type === 'message' && e.message.id === sent.id);
    expect(inPull?.type === 'message' && inPull.message).toEqual(messageEvents(authorSeen, sent.id)[0]);

    // Hidden while held: its author no longer reads it either (hidden text is blank for every viewer).
    await moderator.moderation.hide.mutate({ postId, messageId: sent.id, reason: 'no ads' });
    await waitFor(() => messageEvents(authorSeen, sent.id).length === 2, 'the hide');
    expect(messageEvents(authorSeen, sent.id)[1]).toMatchObject({ hidden: true, content: '' });
    await moderator.moderation.setBlockedTerms.mutate({ postId, terms: [] });
  });

  it('a pin and an unpin reach every subscriber as live events', async () => {
    const postId = cast.live.id;
    const seen = await listen(cast.viewer.token, postId);
    const host = connect(cast.host.token);
    const message = await host.chat.send.mutate({
      postId,
      clientId: randomUUID(),
      content: 'Read the rules',
    });
    const pinnedIds = () => seen.flatMap((e) => (e.type === 'live' ? [e.live.pinned_message_id] : []));
    await host.moderation.pin.mutate({ postId, messageId: message.id });
    await waitFor(() => pinnedIds().includes(message.id), 'the pin');
    await connect(cast.moderator.token).moderation.unpin.mutate({ postId });
    await waitFor(() => pinnedIds().at(-1) === null, 'the unpin');
    const log = await host.moderation.log.query({ postId, limit: 2 });
    expect(log.map((e) => [e.action, e.actor_name])).toEqual([
      ['unpin', 'Moussa Moderator'],
      ['pin', 'Mariam Diallo'],
    ]);
  });
});
