import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishNotice } from '../realtime/fanout';
import { seedCast, seedUser, seedLive } from '../testing/fixtures';
import { refusalOf } from '../testing/refusals';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { chatHistory, pullEvents, sendMessage } from './chat';
import { createDomainEnv, type DomainEnv } from './env';
import { endLive } from './lives';
import { deleteMessage, hideMessage, setSlowMode, timeoutUser, unhideMessage } from './moderation';

describe(`chat domain (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let env: DomainEnv;
  let cast: Awaited<ReturnType<typeof seedCast>>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = createDomainEnv(testDb.database, { publish: publishNotice }, { rateViewer: 5 });
    cast = await seedCast(env);
    // PGlite start-up and six scrypt hashes: slow on a busy 2-core machine.
  }, 180_000);
  afterAll(() => testDb?.drop());

  const count = async () =>
    Number((await testDb.database.query<{ n: string }>('select count(*) as n from chat_messages'))[0]!.n);

  it('sends idempotently: a retry with the same clientId returns the same message', async () => {
    const clientId = randomUUID();
    const input = { postId: cast.live.id, clientId, content: '  Bonjour <b>tous</b>  ' };
    const first = await sendMessage(env, cast.viewer.user, input);
    const before = await count();
    const again = await sendMessage(env, cast.viewer.user, { ...input, content: 'different' });
    expect(again).toEqual(first);
    expect(await count()).toBe(before);
    expect(first.content).toBe('  Bonjour <b>tous</b>  ');
    expect(first.author).toEqual({
      id: cast.viewer.user.id,
      first_name: 'Vera',
      last_name: 'Viewer',
      profile_picture: null,
    });
  });

  it('refuses banned users, ended lives and unknown lives, writing nothing', async () => {
    const before = await count();
    const send = (actor = cast.banned.user, postId = cast.live.id) =>
      sendMessage(env, actor, { postId, clientId: randomUUID(), content: 'hi' });
    expect(await refusalOf(send())).toBe('banned');
    expect(await refusalOf(send(cast.viewer.user, 999_999))).toBe('not_found');
    const ended = await seedLive(env, cast.host.user);
    await endLive(env, cast.host.user, ended.id);
    expect(await refusalOf(send(cast.viewer.user, ended.id))).toBe('live_not_open');
    expect(await count()).toBe(before);
  });

  it('applies timeouts, slow mode (not to staff) and the rate limit', async () => {
    const live = await seedLive(env, cast.host.user);
    const viewer = await seedUser(env, 'Rita', 'Rate');
    const send = (actor = viewer.user) =>
      sendMessage(env, actor, { postId: live.id, clientId: randomUUID(), content: 'hi' });
    for (let i = 0; i < 5; i++) await send();
    expect(await refusalOf(send())).toBe('rate_limited');
    await setSlowMode(env, cast.host.user, { postId: live.id, seconds: 60 });
    const slow = await seedUser(env, 'Sam', 'Slow');
    await send(slow.user);
    expect(await refusalOf(send(slow.user))).toBe('slow_mode');
    await send(cast.host.user);
    await send(cast.host.user);
    await setSlowMode(env, cast.host.user, { postId: live.id, seconds: 0 });
    await timeoutUser(env, cast.host.user, { postId: live.id, userId: slow.user.id, seconds: 30 });
    expect(await refusalOf(send(slow.user))).toBe('timed_out');
  });

  it('pull by cursor sees new messages and moderation changes, in version order', async () => {
    const live = await seedLive(env, cast.host.user);
    const start = await pullEvents(env, cast.viewer.user, { postId: live.id, cursor: 0 });
    const a = await sendMessage(env, cast.viewer.user, {
      postId: live.id,
      clientId: randomUUID(),
      content: 'a',
    });
    const b = await sendMessage(env, cast.viewer.user, {
      postId: live.id,
      clientId: randomUUID(),
      content: 'b',
    });
    const first = await pullEvents(env, cast.viewer.user, { postId: live.id, cursor: start.cursor });
    expect(first.events.map((e) => (e.type === 'message' ? e.message.content : e.type))).toEqual(['a', 'b']);
    await hideMessage(env, cast.host.user, { postId: live.id, messageId: a.id });
    await deleteMessage(env, cast.host.user, { postId: live.id, messageId: b.id });
    const second = await pullEvents(env, cast.viewer.user, { postId: live.id, cursor: first.cursor });
    expect(
      second.events.map(
        (e) => e.type === 'message' && [e.message.id, e.message.hidden, e.message.deleted, e.message.content],
      ),
    ).toEqual([
      [a.id, true, false, ''],
      [b.id, false, true, ''],
    ]);
    const staffView = await pullEvents(env, cast.host.user, { postId: live.id, cursor: first.cursor });
    expect(staffView.events[0]!.type === 'message' && staffView.events[0]!.message.content).toBe('a');
    await unhideMessage(env, cast.host.user, { postId: live.id, messageId: a.id });
    const third = await pullEvents(env, cast.viewer.user, { postId: live.id, cursor: second.cursor });
    expect(third.events).toHaveLength(1);
    expect(third.total).toBe(1);
    const history = await chatHistory(env, cast.viewer.user, { postId: live.id });
    expect(history.map((m) => m.content)).toEqual(['a']);
  });

  it('pages a long pull with hasMore and total', async () => {
    const live = await seedLive(env, cast.host.user);
    const from = (await pullEvents(env, cast.host.user, { postId: live.id, cursor: 0 })).cursor;
    for (let i = 0; i < 7; i++)
      await sendMessage(env, cast.host.user, { postId: live.id, clientId: randomUUID(), content: `m${i}` });
    const page = await pullEvents(env, cast.host.user, { postId: live.id, cursor: from, limit: 5 });
    expect(page).toMatchObject({ hasMore: true, total: 7 });
    expect(page.events).toHaveLength(5);
    const rest = await pullEvents(env, cast.host.user, { postId: live.id, cursor: page.cursor, limit: 5 });
    expect(rest).toMatchObject({ hasMore: false, total: 2 });
    const uncounted = await pullEvents(env, cast.host.user, {
      postId: live.id,
      cursor: page.cursor,
      withTotal: false,
    });
    expect(uncounted).toMatchObject({ hasMore: false, total: null });
    expect(uncounted.events).toHaveLength(2);
  });
});
