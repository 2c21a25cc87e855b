import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatEvent, MESSAGE_FLAG, type PullColumnsPage, pullColumnsPageSchema } from '../../shared/wire';
import { publishNotice } from '../realtime/fanout';
import { seedCast, seedLive, seedUser } from '../testing/fixtures';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { setBlockedTerms } from './blocked-terms';
import { pullEvents, sendMessage } from './chat';
import { pullColumns } from './chat-pull-columns';
import { createDomainEnv, type DomainEnv } from './env';
import type { Actor } from './env';
import { deleteMessage, hideMessage, setSlowMode, unhideMessage } from './moderation';

/** A columns page back as the events `chat.pull` would give: the two must say exactly the same thing. */
function asEvents(page: PullColumnsPage, postId: number): ChatEvent[] {
  const authors = new Map(page.authors.map((a) => [a.id, a]));
  const m = page.messages;
  const events: ChatEvent[] = m.id.map((id, i) => ({
    type: 'message',
    version: m.version[i]!,
    message: {
      id,
      content: m.content[i]!,
      timestamp: m.created_at[i]!,
      author: authors.get(m.author_id[i]!)!,
      post_id: postId,
      client_id: m.client_id[i]!,
      version: m.version[i]!,
      hidden: (m.flags[i]! & MESSAGE_FLAG.hidden) !== 0,
      deleted: (m.flags[i]! & MESSAGE_FLAG.deleted) !== 0,
      held: (m.flags[i]! & MESSAGE_FLAG.held) !== 0,
      type: (m.flags[i]! & MESSAGE_FLAG.emoji) !== 0 ? 'emoji' : 'text',
      reply_to: m.reply_to?.[i] ?? null,
      reactions: m.reactions?.[i] ?? [],
    },
  }));
  if (page.live) events.push({ type: 'live', version: page.live.version, live: page.live.live });
  return events.sort((a, b) => a.version - b.version);
}

describe(`chat.pullColumns (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let env: DomainEnv;
  let cast: Awaited<ReturnType<typeof seedCast>>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = createDomainEnv(testDb.database, { publish: publishNotice }, { rateViewer: 1000 });
    cast = await seedCast(env);
  }, 180_000);
  afterAll(() => testDb?.drop());

  const send = (actor: Actor, postId: number, content: string) =>
    sendMessage(env, actor, { postId, clientId: randomUUID(), content });

  it('says what chat.pull says, for the staff, a viewer and the author of a held message', async () => {
    const live = await seedLive(env, cast.host.user);
    const author = await seedUser(env, 'Hana', 'Held');
    await setBlockedTerms(env, cast.host.user, { postId: live.id, terms: ['spam'] });
    const a = await send(cast.viewer.user, live.id, 'première');
    const b = await send(author.user, live.id, 'buy spam now');
    const c = await send(cast.host.user, live.id, 'troisième');
    const d = await send(cast.viewer.user, live.id, 'quatrième');
    await hideMessage(env, cast.host.user, { postId: live.id, messageId: a.id });
    await deleteMessage(env, cast.host.user, { postId: live.id, messageId: c.id });
    await setSlowMode(env, cast.host.user, { postId: live.id, seconds: 30 });
    expect(b.held).toBe(true);
    expect(d.hidden).toBe(false);
    for (const reader of [cast.host.user, cast.viewer.user, author.user]) {
      const events = await pullEvents(env, reader, { postId: live.id, cursor: 0 });
      const page = await pullColumns(env, reader, { postId: live.id, cursor: 0 });
      expect(pullColumnsPageSchema.parse(page)).toEqual(page);
      expect(asEvents(page, live.id)).toEqual(events.events);
      expect({ cursor: page.cursor, hasMore: page.hasMore, total: page.total }).toEqual({
        cursor: events.cursor,
        hasMore: events.hasMore,
        total: events.total,
      });
    }
    const viewerPage = await pullColumns(env, cast.viewer.user, { postId: live.id, cursor: 0 });
    // Version order: b (held), d, then a and c again with their moderation. Readers other than the staff get
    // the markers and blank text; the author of a held message sees it.
    expect(viewerPage.messages.id).toEqual([b.id, d.id, a.id, c.id]);
    expect(viewerPage.messages.content).toEqual(['', 'quatrième', '', '']);
    const authorPage = await pullColumns(env, author.user, { postId: live.id, cursor: 0 });
    expect(authorPage.messages.content[0]).toBe('buy spam now');
    expect(viewerPage.live?.live.slow_mode_seconds).toBe(30);
  });

  it('pages in version order with moderation changes, resumes from any cursor, and fits one big page', async () => {
    const live = await seedLive(env, cast.host.user);
    const start = (await pullColumns(env, cast.host.user, { postId: live.id, cursor: 0 })).cursor;
    const sent = [];
    for (let i = 0; i < 30; i++)
      sent.push(await send(i % 2 ? cast.viewer.user : cast.host.user, live.id, `m${i}`));
    // Moderation after the fact: these rows come again, later, with new versions.
    await hideMessage(env, cast.host.user, { postId: live.id, messageId: sent[3]!.id });
    await deleteMessage(env, cast.host.user, { postId: live.id, messageId: sent[10]!.id });
    await hideMessage(env, cast.host.user, { postId: live.id, messageId: sent[20]!.id });
    await unhideMessage(env, cast.host.user, { postId: live.id, messageId: sent[20]!.id });

    const big = await pullColumns(env, cast.host.user, { postId: live.id, cursor: start, limit: 20_000 });
    expect(big).toMatchObject({ hasMore: false, total: 30 });
    const versions = big.messages.version;
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    const lastChanged = big.messages.id.slice(-3);
    expect(lastChanged).toEqual([sent[3]!.id, sent[10]!.id, sent[20]!.id]);
    expect(big.messages.flags.slice(-3)).toEqual([MESSAGE_FLAG.hidden, MESSAGE_FLAG.deleted, 0]);
    expect(big.authors.map((a) => a.id).sort()).toEqual([cast.host.user.id, cast.viewer.user.id].sort());

    // Pages of 7 give the same versions, with a cursor that resumes exactly after each page.
    const paged: number[] = [];
    let cursor = start;
    let first = true;
    for (;;) {
      const page = await pullColumns(env, cast.host.user, {
        postId: live.id,
        cursor,
        limit: 7,
        withTotal: first,
      });
      expect(page.total).toBe(first ? 30 : null);
      first = false;
      expect(page.messages.id.length).toBeLessThanOrEqual(7);
      paged.push(...page.messages.version);
      if (page.hasMore) expect(page.cursor).toBe(page.messages.version.at(-1));
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(paged).toEqual(versions);
    expect(cursor).toBe(big.cursor);
    const empty = await pullColumns(env, cast.host.user, { postId: live.id, cursor });
    expect(empty).toMatchObject({ hasMore: false, total: 0, cursor, authors: [], live: null });
    expect(empty.messages.id).toEqual([]);
  });
});
