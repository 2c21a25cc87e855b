import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REACTION_MAX_DISTINCT } from '../../shared/limits';
import type { ChangeNotice } from '../realtime/fanout';
import { publishNotice } from '../realtime/fanout';
import { seedCast, seedUser } from '../testing/fixtures';
import { refusalOf } from '../testing/refusals';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { chatHistory, pullEvents, sendMessage } from './chat';
import { FILTERS, PAGE_COLUMNS, pageMessages } from './chat-pages';
import { pullColumns } from './chat-pull-columns';
import { createDomainEnv, type DomainEnv } from './env';
import { banUser, hideMessage } from './moderation';
import { moderationLog } from './moderation-log';
import { reactionHistory } from './reaction-history';
import { react, reactionsOf } from './reactions';
import { fastPathStats } from './send-fast-path';

describe(`replies and reactions (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  /** Two ways to the database: with an announcer (the fast path on Postgres) and without (the full path only). */
  let fast: DomainEnv;
  let full: DomainEnv;
  let cast: Awaited<ReturnType<typeof seedCast>>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    full = createDomainEnv(testDb.database, { publish: publishNotice }, { rateViewer: 1000 });
    fast = createDomainEnv(
      testDb.database,
      { publish: publishNotice, announce: (_notice: ChangeNotice) => {} },
      { rateViewer: 1000 },
    );
    cast = await seedCast(full);
  }, 180_000);
  afterAll(() => testDb?.drop());

  const say = (
    env: DomainEnv,
    who: { id: number } & Parameters<typeof sendMessage>[1],
    content: string,
    more = {},
  ) => sendMessage(env, who, { postId: cast.live.id, clientId: randomUUID(), content, ...more });
  const rowCount = async (table: string) =>
    Number((await testDb.database.query<{ n: string }>(`select count(*) as n from ${table}`))[0]!.n);

  it('a reply names its parent on every path; a parent elsewhere is refused and writes nothing', async () => {
    const parent = await say(full, cast.host.user, 'Question du jour ?');
    const otherLives = await sendMessage(full, cast.otherHost.user, {
      postId: cast.otherLive.id,
      clientId: randomUUID(),
      content: 'ailleurs',
    });
    for (const env of [fast, full]) {
      const before = fastPathStats.written;
      const reply = await say(env, cast.viewer.user, 'Réponse', { replyTo: parent.id });
      expect(reply.reply_to).toBe(parent.id);
      expect(reply.type).toBe('text');
      if (env === fast && testDatabaseKind === 'postgres') expect(fastPathStats.written).toBe(before + 1);
      const messages = await rowCount('chat_messages');
      for (const replyTo of [otherLives.id, 987_654_321])
        expect(await refusalOf(say(env, cast.viewer.user, 'perdu', { replyTo }))).toBe('invalid_input');
      expect(await rowCount('chat_messages')).toBe(messages);
    }
    const history = await chatHistory(full, cast.viewer.user, { postId: cast.live.id });
    expect(history.filter((m) => m.reply_to === parent.id).map((m) => m.content)).toEqual([
      'Réponse',
      'Réponse',
    ]);
  });

  it('an emoji message holds emoji only', async () => {
    const big = await say(fast, cast.viewer.user, '🎉👏🏽', { type: 'emoji' });
    expect(big.type).toBe('emoji');
    expect(await refusalOf(say(fast, cast.viewer.user, 'bravo 🎉', { type: 'emoji' }))).toBe('invalid_input');
    const page = await pullColumns(full, cast.viewer.user, { postId: cast.live.id, cursor: big.version - 1 });
    expect(page.messages.flags[0]! & 8).toBe(8);
  });

  it('a reaction toggles once per user and emoji; counts and `mine` are per reader; pulls carry them', async () => {
    const message = await say(full, cast.host.user, 'Réagissez !');
    const first = await react(full, cast.viewer.user, {
      postId: cast.live.id,
      messageId: message.id,
      emoji: '👍',
    });
    expect(first.reactions).toEqual([{ emoji: '👍', count: 1, mine: true }]);
    expect(first.version).toBeGreaterThan(message.version);
    // Given again explicitly (an outbox replaying its toggle): nothing changes, not even the version.
    const again = await react(full, cast.viewer.user, {
      postId: cast.live.id,
      messageId: message.id,
      emoji: '👍',
      on: true,
    });
    expect(again).toEqual(first);
    await react(full, cast.moderator.user, { postId: cast.live.id, messageId: message.id, emoji: '👍' });
    const hearts = await react(full, cast.moderator.user, {
      postId: cast.live.id,
      messageId: message.id,
      emoji: '❤️',
    });
    expect(hearts.reactions).toEqual([
      { emoji: '👍', count: 2, mine: true },
      { emoji: '❤️', count: 1, mine: true },
    ]);
    const pulled = await pullEvents(full, cast.host.user, { postId: cast.live.id, cursor: first.version });
    const seen = pulled.events.flatMap((event) =>
      event.type === 'message' && event.message.id === message.id ? [event.message] : [],
    );
    expect(seen.at(-1)!.reactions).toEqual([
      { emoji: '👍', count: 2, mine: false },
      { emoji: '❤️', count: 1, mine: false },
    ]);
    const columns = await pullColumns(full, cast.viewer.user, {
      postId: cast.live.id,
      cursor: first.version,
    });
    const at = columns.messages.id.indexOf(message.id);
    expect(columns.messages.reactions![at]).toEqual([
      { emoji: '👍', count: 2, mine: true },
      { emoji: '❤️', count: 1, mine: false },
    ]);
    // Toggled off: the viewer's is gone, the moderator's stays; the names list says who stands.
    const off = await react(full, cast.viewer.user, {
      postId: cast.live.id,
      messageId: message.id,
      emoji: '👍',
    });
    expect(off.reactions).toEqual([
      { emoji: '👍', count: 1, mine: false },
      { emoji: '❤️', count: 1, mine: false },
    ]);
    const names = await reactionsOf(full, cast.host.user, { postId: cast.live.id, messageId: message.id });
    expect(names.map((given) => [given.emoji, given.first_name])).toEqual([
      ['👍', 'Moussa'],
      ['❤️', 'Moussa'],
    ]);
    const page = await pageMessages(full, cast.moderator.user, {
      postId: cast.live.id,
      page: 'last',
      size: 50,
    });
    expect(page.messages.find((m) => m.id === message.id)!.reactions).toEqual(
      off.reactions.map((r) => ({ ...r, mine: true })),
    );
  });

  it('refuses what is not one emoji, a banned user, a 21st emoji, and a message the reader cannot see', async () => {
    const message = await say(full, cast.host.user, 'Limites');
    const standing = await rowCount('chat_reactions');
    for (const emoji of ['ok', '👍👍', ''])
      expect(
        await refusalOf(
          react(full, cast.viewer.user, { postId: cast.live.id, messageId: message.id, emoji }),
        ),
      ).toBe('invalid_input');
    expect(
      await refusalOf(
        react(full, cast.banned.user, { postId: cast.live.id, messageId: message.id, emoji: '👍' }),
      ),
    ).toBe('banned');
    expect(await rowCount('chat_reactions')).toBe(standing);
    const emoji = [
      '😀',
      '😃',
      '😄',
      '😁',
      '😆',
      '😅',
      '😂',
      '🤣',
      '😊',
      '😇',
      '🙂',
      '🙃',
      '😉',
      '😌',
      '😍',
      '🥰',
      '😘',
      '😗',
      '😙',
      '😚',
      '😋',
    ];
    for (const [index, one] of emoji.slice(0, REACTION_MAX_DISTINCT).entries()) {
      const someone = index % 2 ? cast.viewer.user : (await seedUser(full, 'Fan', `N${index}`)).user;
      await react(full, someone, { postId: cast.live.id, messageId: message.id, emoji: one });
    }
    expect(
      await refusalOf(
        react(full, cast.viewer.user, { postId: cast.live.id, messageId: message.id, emoji: emoji[20]! }),
      ),
    ).toBe('invalid_input');
    // An emoji already there may still be given by someone else.
    const more = await react(full, cast.moderator.user, {
      postId: cast.live.id,
      messageId: message.id,
      emoji: '😀',
    });
    expect(more.reactions[0]).toEqual({ emoji: '😀', count: 2, mine: true });

    // Hidden: its reactions go with its text for viewers (staff still see them), and nobody may add one.
    await hideMessage(full, cast.moderator.user, { postId: cast.live.id, messageId: message.id });
    const forViewer = await chatHistory(full, cast.host.user, { postId: cast.live.id });
    expect(forViewer.find((m) => m.id === message.id)!.reactions.length).toBe(REACTION_MAX_DISTINCT);
    const pulled = await pullEvents(full, cast.viewer.user, { postId: cast.live.id, cursor: more.version });
    const hidden = pulled.events.find((event) => event.type === 'message' && event.message.id === message.id);
    expect(hidden?.type === 'message' && hidden.message.reactions).toEqual([]);
    expect(
      await refusalOf(
        react(full, cast.viewer.user, { postId: cast.live.id, messageId: message.id, emoji: '😀' }),
      ),
    ).toBe('not_found');
  });

  it('concurrent toggles on one message leave exact counts', async () => {
    const message = await say(full, cast.host.user, 'Tout le monde !');
    const fans = await Promise.all(Array.from({ length: 12 }, (_, i) => seedUser(full, 'Foule', `F${i}`)));
    await Promise.all(
      fans.flatMap(({ user }) => [
        react(fast, user, { postId: cast.live.id, messageId: message.id, emoji: '🔥' }),
        react(fast, user, { postId: cast.live.id, messageId: message.id, emoji: '👏', on: true }),
      ]),
    );
    await Promise.all(
      fans
        .slice(0, 5)
        .map(({ user }) => react(fast, user, { postId: cast.live.id, messageId: message.id, emoji: '🔥' })),
    );
    const [row] = await testDb.database.query<{ reactions: unknown }>(
      `select reactions from chat_messages where id = ${message.id}`,
    );
    const stored = (
      typeof row!.reactions === 'string' ? JSON.parse(row!.reactions) : row!.reactions
    ) as Array<{
      e: string;
      u: number[];
    }>;
    expect(Object.fromEntries(stored.map((r) => [r.e, r.u.length]))).toEqual({ '🔥': 7, '👏': 12 });
    const [standing] = await testDb.database.query<{ n: string }>(
      `select count(*) as n from chat_reactions where message_id = ${message.id} and removed_at is null`,
    );
    expect(Number(standing!.n)).toBe(19);
  });

  it('a ban takes the user’s reactions away, and the log says how many', async () => {
    const message = await say(full, cast.host.user, 'Avant le bannissement');
    const troll = (await seedUser(full, 'Troll', 'T')).user;
    await react(full, troll, { postId: cast.live.id, messageId: message.id, emoji: '👎' });
    await react(full, cast.viewer.user, { postId: cast.live.id, messageId: message.id, emoji: '👍' });
    await banUser(full, cast.host.user, { postId: cast.live.id, userId: troll.id });
    const after = await chatHistory(full, cast.host.user, { postId: cast.live.id });
    expect(after.find((m) => m.id === message.id)!.reactions).toEqual([
      { emoji: '👍', count: 1, mine: false },
    ]);
    const log = await moderationLog(full, cast.host.user, { postId: cast.live.id });
    expect(log.find((entry) => entry.action === 'ban' && entry.target_user_id === troll.id)?.details).toEqual(
      {
        reactions_removed: 1,
      },
    );
  });

  it('the reaction history keeps given and taken-back times, pages by id, and asks again from `since`', async () => {
    const message = await say(full, cast.host.user, 'Historique');
    const on = { postId: cast.live.id, messageId: message.id };
    const first = await reactionHistory(full, cast.moderator.user, { postId: cast.live.id });
    await react(full, cast.viewer.user, { ...on, emoji: '🔥' });
    await react(full, cast.moderator.user, { ...on, emoji: '🔥' });
    await react(full, cast.viewer.user, { ...on, emoji: '🔥' }); // taken back
    const since = await reactionHistory(full, cast.moderator.user, {
      postId: cast.live.id,
      since: first.as_of,
    });
    const mine = since.entries.filter((entry) => entry.message_id === message.id);
    expect(mine.map((entry) => [entry.name, entry.emoji, entry.taken_at === null])).toEqual([
      ['Vera Viewer', '🔥', false],
      ['Moussa Moderator', '🔥', true],
    ]);
    expect(Date.parse(mine[0]!.taken_at!)).toBeGreaterThanOrEqual(Date.parse(mine[0]!.given_at));
    expect(since.next_after_id).toBeNull();
    // Nothing changed since the last answer: nothing comes back.
    const quiet = await reactionHistory(full, cast.moderator.user, {
      postId: cast.live.id,
      since: since.as_of,
    });
    expect(quiet.entries.filter((entry) => entry.message_id === message.id)).toEqual([]);
    // A hidden message's reactions are the staff's to read only.
    await hideMessage(full, cast.moderator.user, on);
    const viewers = await reactionHistory(full, cast.viewer.user, { postId: cast.live.id });
    expect(viewers.entries.some((entry) => entry.message_id === message.id)).toBe(false);
    const staff = await reactionHistory(full, cast.host.user, { postId: cast.live.id });
    expect(staff.entries.filter((entry) => entry.message_id === message.id)).toHaveLength(2);
    // Paging by id: afterId skips what came before.
    const last = staff.entries[staff.entries.length - 1]!;
    const after = await reactionHistory(full, cast.host.user, { postId: cast.live.id, afterId: last.id });
    expect(after.entries).toEqual([]);
  });

  it('history reads reactions from the row: no query per message, no join on chat_reactions', async () => {
    const plan = await testDb.database.query<Record<string, string>>(
      `explain select ${PAGE_COLUMNS} from chat_messages m join users u on u.id = m.author_id
       where m.post_id = ${cast.live.id} and ${FILTERS.staff} order by m.id limit 50`,
    );
    const text = plan.map((line) => Object.values(line).join(' ')).join('\n');
    expect(text).not.toMatch(/chat_reactions|SubPlan/);
  });
});
