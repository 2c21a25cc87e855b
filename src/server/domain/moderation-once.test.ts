import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishNotice } from '../realtime/fanout';
import { seedCast, seedLive, seedUser } from '../testing/fixtures';
import { refusalOf } from '../testing/refusals';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { sendMessage } from './chat';
import { createDomainEnv, type DomainEnv } from './env';
import {
  addModerator,
  banUser,
  hideMessage,
  setSlowMode,
  timeoutUser,
  unbanUser,
  unhideMessage,
} from './moderation';

/**
 * A moderation action sent twice with its client action id (a studio resending what it queued offline, after
 * dying between the server's answer and its record of it) is applied once: the second copy changes nothing,
 * logs nothing, and answers with the state as it is now.
 */
describe(`moderation actions apply once per client action id (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let env: DomainEnv;
  let cast: Awaited<ReturnType<typeof seedCast>>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = createDomainEnv(testDb.database, { publish: publishNotice }, { rateViewer: 1000 });
    cast = await seedCast(env);
  }, 180_000);
  afterAll(() => testDb?.drop());

  async function ownLive() {
    const live = await seedLive(env, cast.host.user);
    await addModerator(env, cast.host.user, { postId: live.id, email: cast.moderator.email });
    return live;
  }
  const logged = async (postId: number, action: string) => {
    const [row] = await testDb.database.query<{ n: number }>(
      'select count(*)::int as n from moderation_log where post_id = $1 and action = $2',
      [postId, action],
    );
    return row!.n;
  };
  const restriction = async (postId: number, userId: number) =>
    (
      await testDb.database.query<{ expires_at: Date | null; created_at: Date }>(
        'select expires_at, created_at from live_bans where post_id = $1 and user_id = $2',
        [postId, userId],
      )
    )[0] ?? null;

  it('a ban resent after an unban does not ban again', async () => {
    const live = await ownLive();
    const target = (await seedUser(env, 'Target', 'Once')).user;
    const ban = { postId: live.id, userId: target.id, clientActionId: randomUUID() };
    expect((await banUser(env, cast.moderator.user, ban)).until).toBeNull();
    expect(await restriction(live.id, target.id)).not.toBeNull();
    await unbanUser(env, cast.host.user, { postId: live.id, userId: target.id });
    // The same ban again (the studio never recorded the first answer): nothing changes, the answer says so.
    expect(await banUser(env, cast.moderator.user, ban)).toEqual({
      postId: live.id,
      userId: target.id,
      until: null,
    });
    expect(await restriction(live.id, target.id)).toBeNull();
    expect(await logged(live.id, 'ban')).toBe(1);
    // Another id is another ban.
    await banUser(env, cast.moderator.user, { ...ban, clientActionId: randomUUID() });
    expect(await restriction(live.id, target.id)).not.toBeNull();
    expect(await logged(live.id, 'ban')).toBe(2);
  });

  it('a timeout resent keeps its first end; two copies at once apply once', async () => {
    const live = await ownLive();
    const target = (await seedUser(env, 'Timed', 'Once')).user;
    const timeout = { postId: live.id, userId: target.id, seconds: 600, clientActionId: randomUUID() };
    const first = await timeoutUser(env, cast.moderator.user, timeout);
    const before = await restriction(live.id, target.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await timeoutUser(env, cast.moderator.user, timeout);
    expect(again).toEqual(first);
    expect(await restriction(live.id, target.id)).toEqual(before);
    expect(await logged(live.id, 'timeout')).toBe(1);

    const twin = { ...timeout, clientActionId: randomUUID() };
    const both = await Promise.all([
      timeoutUser(env, cast.moderator.user, twin),
      timeoutUser(env, cast.moderator.user, twin),
    ]);
    expect(both[0]).toEqual(both[1]);
    expect(await logged(live.id, 'timeout')).toBe(2);
  });

  it('a hide resent after an unhide leaves the message visible; slow mode and unban likewise', async () => {
    const live = await ownLive();
    const message = await sendMessage(env, cast.viewer.user, {
      postId: live.id,
      clientId: randomUUID(),
      content: 'hide me once',
    });
    const hide = { postId: live.id, messageId: message.id, clientActionId: randomUUID() };
    expect((await hideMessage(env, cast.moderator.user, hide)).hidden).toBe(true);
    await unhideMessage(env, cast.host.user, { postId: live.id, messageId: message.id });
    const replayed = await hideMessage(env, cast.moderator.user, hide);
    expect(replayed).toMatchObject({ hidden: false, content: 'hide me once' });
    expect(await logged(live.id, 'hide')).toBe(1);

    const slow = { postId: live.id, seconds: 30, clientActionId: randomUUID() };
    await setSlowMode(env, cast.moderator.user, slow);
    await setSlowMode(env, cast.host.user, { postId: live.id, seconds: 0 });
    expect((await setSlowMode(env, cast.moderator.user, slow)).slow_mode_seconds).toBe(0);
    expect(await logged(live.id, 'slow_mode')).toBe(2);

    const target = (await seedUser(env, 'Unbanned', 'Once')).user;
    const unban = { postId: live.id, userId: target.id, clientActionId: randomUUID() };
    await unbanUser(env, cast.moderator.user, unban);
    await banUser(env, cast.host.user, { postId: live.id, userId: target.id });
    await unbanUser(env, cast.moderator.user, unban);
    expect(await restriction(live.id, target.id)).not.toBeNull();
  });

  it('refuses an id reused for another action, writing nothing; a refused action does not use up its id', async () => {
    const live = await ownLive();
    const target = (await seedUser(env, 'Reused', 'Id')).user;
    const clientActionId = randomUUID();
    await banUser(env, cast.moderator.user, { postId: live.id, userId: target.id, clientActionId });
    await unbanUser(env, cast.host.user, { postId: live.id, userId: target.id });
    expect(
      await refusalOf(
        timeoutUser(env, cast.moderator.user, {
          postId: live.id,
          userId: target.id,
          seconds: 60,
          clientActionId,
        }),
      ),
    ).toBe('invalid_input');
    expect(await restriction(live.id, target.id)).toBeNull();
    expect(await logged(live.id, 'timeout')).toBe(0);

    // A viewer's attempt is refused (forbidden) and records nothing: the same id then works for the moderator.
    const fresh = { postId: live.id, userId: target.id, clientActionId: randomUUID() };
    expect(await refusalOf(banUser(env, cast.viewer.user, fresh))).toBe('forbidden');
    await banUser(env, cast.moderator.user, fresh);
    expect(await restriction(live.id, target.id)).not.toBeNull();
  });
});
