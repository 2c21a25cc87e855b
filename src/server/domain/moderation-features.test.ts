import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishNotice } from '../realtime/fanout';
import { seedCast, seedLive, seedUser } from '../testing/fixtures';
import { refusalOf } from '../testing/refusals';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { blockedTerms, setBlockedTerms } from './blocked-terms';
import { chatHistory, pullEvents, sendMessage } from './chat';
import { pageMessages } from './chat-pages';
import { createDomainEnv, type DomainEnv } from './env';
import { banUser, deleteMessage, hideMessage, releaseMessage, timeoutUser } from './moderation';
import { moderationLog } from './moderation-log';
import { pinMessage, unpinMessage } from './pin';
import { liveRestrictions } from './restrictions';

describe(`moderation: blocked terms, release, pin, log, restrictions (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let env: DomainEnv;
  let cast: Awaited<ReturnType<typeof seedCast>>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = createDomainEnv(testDb.database, { publish: publishNotice }, { rateViewer: 1000 });
    cast = await seedCast(env);
  }, 180_000);
  afterAll(() => testDb?.drop());

  const send = (who: { id: number } & Parameters<typeof sendMessage>[1], postId: number, content: string) =>
    sendMessage(env, who, { postId, clientId: randomUUID(), content });
  const counts = async (postId: number) => {
    const [row] = await testDb.database.query<{ visible: string; listed: string }>(
      `select coalesce(sum(visible), 0) as visible, coalesce(sum(listed), 0) as listed
       from post_counters where post_id = ${postId}`,
    );
    return { visible: Number(row!.visible), listed: Number(row!.listed) };
  };
  /** A live of its own with the cast's moderator, so that lists and pins do not leak between tests. */
  async function ownLive() {
    const live = await seedLive(env, cast.host.user);
    const { addModerator } = await import('./moderation');
    await addModerator(env, cast.host.user, { postId: live.id, email: cast.moderator.email });
    return live;
  }

  it('keeps a folded, deduplicated list per live, for its staff only, and logs the change', async () => {
    const live = await ownLive();
    const saved = await setBlockedTerms(env, cast.moderator.user, {
      postId: live.id,
      terms: ['Spam', ' SPAM ', 'Arnaque totale', ''],
      reason: 'scam wave',
    });
    expect(saved.terms).toEqual(['spam', 'arnaque totale']);
    expect((await blockedTerms(env, cast.host.user, { postId: live.id })).terms.sort()).toEqual([
      'arnaque totale',
      'spam',
    ]);
    expect(await refusalOf(blockedTerms(env, cast.viewer.user, { postId: live.id }))).toBe('forbidden');
    expect(
      await refusalOf(setBlockedTerms(env, cast.otherModerator.user, { postId: live.id, terms: [] })),
    ).toBe('forbidden');
    expect(
      await refusalOf(setBlockedTerms(env, cast.host.user, { postId: live.id, terms: ['x'.repeat(101)] })),
    ).toBe('invalid_input');
    const tooMany = Array.from({ length: 2001 }, (_, i) => `term${i}`);
    expect(await refusalOf(setBlockedTerms(env, cast.host.user, { postId: live.id, terms: tooMany }))).toBe(
      'invalid_input',
    );
    // The refused calls changed nothing.
    expect((await blockedTerms(env, cast.host.user, { postId: live.id })).terms).toHaveLength(2);
    const [entry] = await moderationLog(env, cast.host.user, { postId: live.id, limit: 1 });
    expect(entry).toMatchObject({
      action: 'blocked_terms',
      actor_id: cast.moderator.user.id,
      actor_name: 'Moussa Moderator',
      reason: 'scam wave',
    });
    expect(entry!.details).toMatchObject({ count: 2, added: 2, removed: 0 });
  });

  it('holds a viewer message with a blocked term: staff see it, other viewers and the count do not', async () => {
    const live = await ownLive();
    await setBlockedTerms(env, cast.host.user, { postId: live.id, terms: ['spam'] });
    const clean = await send(cast.viewer.user, live.id, 'hello there');
    const held = await send(cast.viewer.user, live.id, 'Buy SPÂM now');
    const fromStaff = await send(cast.moderator.user, live.id, 'no spam here please');
    expect(clean.held).toBe(false);
    expect(held.held).toBe(true);
    expect(fromStaff.held).toBe(false);
    // A word that merely contains the term is not held.
    expect((await send(cast.viewer.user, live.id, 'spammy')).held).toBe(false);

    const other = (await seedUser(env, 'Other', 'Viewer')).user;
    const seenByViewer = await chatHistory(env, other, { postId: live.id });
    expect(seenByViewer.map((m) => m.id)).not.toContain(held.id);
    const seenByStaff = await chatHistory(env, cast.moderator.user, { postId: live.id });
    expect(seenByStaff.find((m) => m.id === held.id)).toMatchObject({ held: true, content: 'Buy SPÂM now' });
    // Pulled events carry the marker only for viewers: the text stays with the staff.
    const pulled = await pullEvents(env, other, { postId: live.id, cursor: 0 });
    const event = pulled.events.find((e) => e.type === 'message' && e.message.id === held.id);
    expect(event?.type === 'message' && event.message.content).toBe('');

    expect(await counts(live.id)).toEqual({ visible: 3, listed: 4 });
    const page = await pageMessages(env, other, { postId: live.id, page: 1, size: 50 });
    expect(page.count).toBe(3);
    expect(page.messages.map((m) => m.id)).not.toContain(held.id);
  });

  it('reads the list revision on every send, so a change made through another server process applies', async () => {
    const live = await ownLive();
    await setBlockedTerms(env, cast.host.user, { postId: live.id, terms: ['alpha'] });
    expect((await send(cast.viewer.user, live.id, 'alpha')).held).toBe(true);
    // Another node replaces the list: rows and revision change in the database, our cache is untouched.
    await testDb.database.query(`delete from live_blocked_terms where post_id = ${live.id}`);
    await testDb.database.query(
      `insert into live_blocked_terms (post_id, term, created_by) values (${live.id}, 'beta', ${cast.host.user.id})`,
    );
    await testDb.database.query(
      `update posts set blocked_terms_revision = blocked_terms_revision + 1 where id = ${live.id}`,
    );
    expect((await send(cast.viewer.user, live.id, 'alpha')).held).toBe(false);
    expect((await send(cast.viewer.user, live.id, 'beta')).held).toBe(true);
    await setBlockedTerms(env, cast.host.user, { postId: live.id, terms: [] });
    expect((await send(cast.viewer.user, live.id, 'beta')).held).toBe(false);
  });

  it('concurrent replacements of one list end with exactly one of them', async () => {
    const live = await ownLive();
    const lists = [
      ['a1', 'shared'],
      ['b1', 'shared'],
      ['c1', 'shared'],
    ];
    const results = await Promise.all(
      lists.map((terms, i) =>
        setBlockedTerms(env, i % 2 ? cast.host.user : cast.moderator.user, { postId: live.id, terms }),
      ),
    );
    const final = await blockedTerms(env, cast.host.user, { postId: live.id });
    expect(final.revision).toBe(Math.max(...results.map((r) => r.revision)));
    expect(final.revision).toBe(3);
    expect(lists.map((l) => [...l].sort().join())).toContain([...final.terms].sort().join());
  });

  it('release publishes a held message: new version, counted, logged with the reason', async () => {
    const live = await ownLive();
    await setBlockedTerms(env, cast.host.user, { postId: live.id, terms: ['spam'] });
    const held = await send(cast.viewer.user, live.id, 'spam spam');
    const before = await counts(live.id);
    expect(
      await refusalOf(releaseMessage(env, cast.viewer.user, { postId: live.id, messageId: held.id })),
    ).toBe('forbidden');
    expect(
      await refusalOf(releaseMessage(env, cast.otherModerator.user, { postId: live.id, messageId: held.id })),
    ).toBe('forbidden');
    const released = await releaseMessage(env, cast.moderator.user, {
      postId: live.id,
      messageId: held.id,
      reason: 'false positive',
    });
    expect(released.held).toBe(false);
    expect(released.version).toBeGreaterThan(held.version);
    expect(await counts(live.id)).toEqual({ visible: before.visible + 1, listed: before.listed });
    const other = (await seedUser(env, 'Late', 'Viewer')).user;
    expect((await chatHistory(env, other, { postId: live.id })).map((m) => m.id)).toContain(held.id);
    const [entry] = await moderationLog(env, cast.host.user, { postId: live.id, limit: 1 });
    expect(entry).toMatchObject({
      action: 'release',
      reason: 'false positive',
      target_message_id: held.id,
      target_user_id: cast.viewer.user.id,
    });
    // Releasing again changes nothing and logs nothing.
    await releaseMessage(env, cast.moderator.user, { postId: live.id, messageId: held.id });
    expect(await counts(live.id)).toEqual({ visible: before.visible + 1, listed: before.listed });
    expect((await moderationLog(env, cast.host.user, { postId: live.id, limit: 1 }))[0]!.id).toBe(entry!.id);
  });

  it('pins one readable message of the live; the pin reaches clients as a live event', async () => {
    const live = await ownLive();
    const message = await send(cast.viewer.user, live.id, 'pin me');
    const { cursor } = await pullEvents(env, cast.viewer.user, { postId: live.id, cursor: 0 });
    const pinned = await pinMessage(env, cast.moderator.user, {
      postId: live.id,
      messageId: message.id,
      reason: 'rules',
    });
    expect(pinned.pinned_message_id).toBe(message.id);
    const after = await pullEvents(env, cast.viewer.user, { postId: live.id, cursor });
    expect(after.events).toEqual([
      expect.objectContaining({
        type: 'live',
        live: expect.objectContaining({ pinned_message_id: message.id }),
      }),
    ]);
    const elsewhere = await send(cast.viewer.user, cast.otherLive.id, 'other live');
    expect(
      await refusalOf(pinMessage(env, cast.host.user, { postId: live.id, messageId: elsewhere.id })),
    ).toBe('not_found');
    expect(
      await refusalOf(pinMessage(env, cast.otherModerator.user, { postId: live.id, messageId: message.id })),
    ).toBe('forbidden');
    expect(
      await refusalOf(pinMessage(env, cast.viewer.user, { postId: live.id, messageId: message.id })),
    ).toBe('forbidden');
    await setBlockedTerms(env, cast.host.user, { postId: live.id, terms: ['spam'] });
    const held = await send(cast.viewer.user, live.id, 'spam');
    expect(await refusalOf(pinMessage(env, cast.host.user, { postId: live.id, messageId: held.id }))).toBe(
      'invalid_input',
    );
    const gone = await send(cast.viewer.user, live.id, 'to delete');
    await deleteMessage(env, cast.host.user, { postId: live.id, messageId: gone.id });
    expect(await refusalOf(pinMessage(env, cast.host.user, { postId: live.id, messageId: gone.id }))).toBe(
      'invalid_input',
    );
    // Still the first pin after the refusals.
    const unpinned = await unpinMessage(env, cast.host.user, { postId: live.id, reason: 'done' });
    expect(unpinned.pinned_message_id).toBeNull();
    const log = await moderationLog(env, cast.host.user, { postId: live.id, limit: 3 });
    expect(log.map((e) => e.action)).toEqual(['unpin', 'delete', 'blocked_terms']);
    expect(log[0]).toMatchObject({ reason: 'done', target_message_id: message.id });
  });

  it('unpins a pinned message when it is deleted or hidden', async () => {
    const live = await ownLive();
    const first = await send(cast.viewer.user, live.id, 'first');
    await pinMessage(env, cast.host.user, { postId: live.id, messageId: first.id });
    await hideMessage(env, cast.host.user, { postId: live.id, messageId: first.id });
    const events = (await pullEvents(env, cast.viewer.user, { postId: live.id, cursor: 0 })).events;
    const liveEvent = events.find((e) => e.type === 'live');
    expect(liveEvent?.type === 'live' && liveEvent.live.pinned_message_id).toBeNull();
    const second = await send(cast.viewer.user, live.id, 'second');
    await pinMessage(env, cast.host.user, { postId: live.id, messageId: second.id });
    await deleteMessage(env, cast.moderator.user, { postId: live.id, messageId: second.id });
    const { live: state } = (await pullEvents(env, cast.viewer.user, { postId: live.id, cursor: 0 })).events
      .filter((e) => e.type === 'live')
      .pop() as { live: { pinned_message_id: number | null } };
    expect(state.pinned_message_id).toBeNull();
  });

  it('pages the log newest first with names, default 100 and at most 500', async () => {
    const live = await ownLive();
    const victim = await seedUser(env, 'Victor', 'Target');
    for (let i = 0; i < 5; i++)
      await timeoutUser(env, cast.moderator.user, {
        postId: live.id,
        userId: victim.user.id,
        seconds: 60,
        reason: `r${i}`,
      });
    const firstPage = await moderationLog(env, cast.host.user, { postId: live.id, limit: 2 });
    expect(firstPage.map((e) => e.reason)).toEqual(['r4', 'r3']);
    expect(firstPage[0]).toMatchObject({
      action: 'timeout',
      actor_name: 'Moussa Moderator',
      target_user_name: 'Victor Target',
      details: { seconds: 60 },
    });
    const next = await moderationLog(env, cast.host.user, {
      postId: live.id,
      limit: 2,
      beforeId: firstPage[1]!.id,
    });
    expect(next.map((e) => e.reason)).toEqual(['r2', 'r1']);
    // The moderator's own addition by the host is in the log too (add_moderator), so 6 entries in all.
    expect(await moderationLog(env, cast.host.user, { postId: live.id })).toHaveLength(6);
    expect(await refusalOf(moderationLog(env, cast.otherModerator.user, { postId: live.id }))).toBe(
      'forbidden',
    );
  });

  it('lists the bans and timeouts in force, not the ended ones', async () => {
    const live = await ownLive();
    const banned = await seedUser(env, 'Ban', 'Ned');
    const timedOut = await seedUser(env, 'Time', 'Out');
    const expired = await seedUser(env, 'Ex', 'Pired');
    await banUser(env, cast.host.user, { postId: live.id, userId: banned.user.id, reason: 'abuse' });
    await timeoutUser(env, cast.moderator.user, { postId: live.id, userId: timedOut.user.id, seconds: 300 });
    await timeoutUser(env, cast.moderator.user, { postId: live.id, userId: expired.user.id, seconds: 1 });
    await testDb.database.query(
      `update live_bans set expires_at = now() - interval '1 second' where user_id = ${expired.user.id}`,
    );
    const list = await liveRestrictions(env, cast.moderator.user, { postId: live.id });
    const byUser = new Map(list.map((r) => [r.user.id, r]));
    expect([...byUser.keys()].sort()).toEqual([banned.user.id, timedOut.user.id].sort());
    expect(byUser.get(banned.user.id)).toMatchObject({ kind: 'ban', until: null, reason: 'abuse' });
    expect(byUser.get(banned.user.id)!.user).toMatchObject({ first_name: 'Ban', last_name: 'Ned' });
    const until = Date.parse(byUser.get(timedOut.user.id)!.until!);
    expect(until - Date.now()).toBeGreaterThan(250_000);
    expect(byUser.get(timedOut.user.id)!.kind).toBe('timeout');
    expect(await refusalOf(liveRestrictions(env, cast.viewer.user, { postId: live.id }))).toBe('forbidden');
  });
});
