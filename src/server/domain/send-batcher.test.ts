import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/wire';
import { type ChangeNotice, publishNotice } from '../realtime/fanout';
import { type SeededUser, seedCast, seedLive, seedUser } from '../testing/fixtures';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { sendMessage } from './chat';
import { fastPathStats } from './send-fast-path';
import { createDomainEnv, type DomainEnv } from './env';
import { banUser, setSlowMode } from './moderation';
import { Refusal } from './refusal';

/** What each send of one batch came to: the message, or the refusal code, or the error's message. */
async function settle(sends: Promise<Message>[]) {
  return Promise.all(
    sends.map((send) =>
      send.then(
        (message) => ({ message }),
        (error: unknown) =>
          error instanceof Refusal ? { refused: error.code } : { failed: (error as Error).message },
      ),
    ),
  );
}

/**
 * Twice: without an announcer (every batch takes the full path and publishes inside its transaction) and with
 * one, as the server runs (on Postgres the one-round-trip fast path writes what certainly passes, the full path
 * the rest). The same behaviour is expected from both.
 */
describe.each([
  ['full path', false],
  ['fast path', true],
])(`send batcher: group commit of concurrent sends, %s (${testDatabaseKind})`, (_name, announcing) => {
  let testDb: TestDatabase;
  let env: DomainEnv;
  const published: ChangeNotice[] = [];
  let cast: Awaited<ReturnType<typeof seedCast>>;
  const senders: SeededUser[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = createDomainEnv(
      testDb.database,
      {
        publish: async (executor, notice) => {
          published.push(notice);
          await publishNotice(executor, notice);
        },
        ...(announcing ? { announce: (notice: ChangeNotice) => void published.push(notice) } : {}),
      },
      { rateViewer: 5 },
    );
    cast = await seedCast(env);
    for (let i = 0; i < 8; i++) senders.push(await seedUser(env, `Sender${i}`, 'Batch'));
  }, 180_000);
  afterAll(() => testDb?.drop());

  const count = async () =>
    Number((await testDb.database.query<{ n: string }>('select count(*) as n from chat_messages'))[0]!.n);
  const send = (user: SeededUser, postId: number, content = 'hello', clientId: string = randomUUID()) =>
    sendMessage(env, user.user, { postId, clientId, content });

  it('writes sends made together in one batch: distinct increasing versions, one notice per live', async () => {
    const other = await seedLive(env, cast.host.user, { title: 'Second live' });
    published.length = 0;
    const before = await count();
    const fastBefore = fastPathStats.written;
    // Issued in one turn of the event loop: the batcher takes them as one batch.
    const results = await settle([
      ...senders.map((user, i) => send(user, cast.live.id, `m${i}`)),
      send(senders[0]!, other.id, 'elsewhere'),
    ]);
    const messages = results.map((result) => ('message' in result ? result.message : null));
    expect(messages.every((message) => message !== null)).toBe(true);
    const versions = messages.map((message) => message!.version);
    const ids = messages.map((message) => message!.id);
    for (let i = 1; i < versions.length; i++) {
      expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
      expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
    }
    expect(messages.slice(0, senders.length).map((message) => message!.content)).toEqual(
      senders.map((_, i) => `m${i}`),
    );
    expect(messages[3]!.author).toMatchObject({ id: senders[3]!.user.id, first_name: 'Sender3' });
    expect(await count()).toBe(before + senders.length + 1);
    expect(published).toEqual([
      { postId: cast.live.id, version: versions[senders.length - 1] },
      { postId: other.id, version: versions[senders.length] },
    ]);
    // The fast path is taken where it applies (Postgres, with an announcer), and wrote the whole batch.
    const fast = announcing && testDatabaseKind === 'postgres';
    expect(fastPathStats.written - fastBefore).toBe(fast ? senders.length + 1 : 0);
    // The kept count (REST pagination's `count`) follows.
    const kept = await testDb.database.query<{ n: string }>(
      'select sum(visible) as n from post_counters where post_id = $1',
      [other.id],
    );
    expect(Number(kept[0]!.n)).toBe(1);
  });

  it('refuses a banned sender, 501 characters, slow mode and the rate limit alone; the others land', async () => {
    const live = await seedLive(env, cast.host.user);
    await setSlowMode(env, cast.host.user, { postId: live.id, seconds: 60 });
    await banUser(env, cast.host.user, { postId: live.id, userId: cast.banned.user.id });
    const [slow, calm] = senders;
    const before = await count();
    const results = await settle([
      send(slow!, live.id, 'first'),
      send(cast.banned, live.id, 'banned'),
      send(calm!, live.id, 'x'.repeat(501)),
      send(slow!, live.id, 'second inside slow mode'),
      send(calm!, live.id, 'fine'),
      send(cast.viewer, 999_999, 'unknown live'),
      send(calm!, live.id, '   '),
    ]);
    expect(results.map((result) => ('message' in result ? result.message.content : result))).toEqual([
      'first',
      { refused: 'banned' },
      { refused: 'invalid_input' },
      { refused: 'slow_mode' },
      'fine',
      { refused: 'not_found' },
      { refused: 'invalid_input' },
    ]);
    expect(await count()).toBe(before + 2);
  });

  it('refuses a NUL character alone and stores a lone surrogate as U+FFFD, beside messages that land', async () => {
    const live = await seedLive(env, cast.host.user);
    const results = await settle([
      send(senders[2]!, live.id, 'before'),
      send(senders[3]!, live.id, 'nul \u0000 inside'),
      send(senders[4]!, live.id, 'half \ud83d pair'),
      send(senders[6]!, live.id, 'after'),
    ]);
    expect(results.map((result) => ('message' in result ? result.message.content : result))).toEqual([
      'before',
      { refused: 'invalid_input' },
      'half \ufffd pair',
      'after',
    ]);
  });

  it('applies the rate limit inside one batch: the sixth message of a viewer is refused', async () => {
    const live = await seedLive(env, cast.host.user);
    const viewer = senders[5]!;
    const results = await settle(Array.from({ length: 7 }, (_, i) => send(viewer, live.id, `r${i}`)));
    expect(results.map((result) => ('message' in result ? 'ok' : result))).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      { refused: 'rate_limited' },
      { refused: 'rate_limited' },
    ]);
  });

  it('writes one row for a clientId repeated inside a batch, and returns it again to a later retry', async () => {
    const live = await seedLive(env, cast.host.user);
    const clientId = randomUUID();
    const user = senders[1]!;
    const before = await count();
    const results = await settle([
      send(user, live.id, 'once', clientId),
      send(senders[2]!, live.id, 'neighbour'),
      send(user, live.id, 'once (retry)', clientId.toUpperCase()),
      send(user, cast.live.id, 'same id, other live', clientId),
    ]);
    expect(await count()).toBe(before + 2);
    const first = 'message' in results[0]! ? results[0].message : null;
    expect(first?.content).toBe('once');
    expect(results[2]).toEqual({ message: first });
    expect(results[3]).toEqual({ refused: 'invalid_input' });
    const later = await send(user, live.id, 'later retry', clientId);
    expect(later).toEqual(first);
    expect(await count()).toBe(before + 2);
  });

  it("keeps one author's order when a clientId repeats in the batch: their other sends wait with it", async () => {
    const live = await seedLive(env, cast.host.user);
    const clientId = randomUUID();
    const user = senders[3]!;
    const results = await settle([
      send(user, live.id, 'first', clientId),
      send(user, live.id, 'second'),
      send(user, live.id, 'first (retry)', clientId),
    ]);
    const [first, second, retry] = results.map((result) => ('message' in result ? result.message : null));
    expect(retry).toEqual(first);
    expect(second!.version).toBeGreaterThan(first!.version);
    expect(second!.id).toBeGreaterThan(first!.id);
  });

  it('fails only the batch whose transaction fails: its senders get the error, nothing of it is written', async () => {
    const live = await seedLive(env, cast.host.user);
    // A database fault on one row (a trigger stands in for a disk or constraint failure).
    await testDb.database.query(`create function fail_on_boom() returns trigger language plpgsql as $$
      begin if new.content = 'boom' then raise exception 'disk on fire'; end if; return new; end $$`);
    await testDb.database.query(
      'create trigger fail_on_boom before insert on chat_messages for each row execute function fail_on_boom()',
    );
    try {
      const before = await count();
      const failing = settle([
        send(senders[3]!, live.id, 'a'),
        send(senders[4]!, live.id, 'boom'),
        send(senders[6]!, live.id, 'c'),
      ]);
      // The next turn: a second batch, written while (Postgres) or after (PGlite) the first one fails.
      await nextTurn();
      const healthy = settle([send(senders[7]!, live.id, 'd'), send(cast.viewer, live.id, 'e')]);
      const [failed, landed] = await Promise.all([failing, healthy]);
      expect(failed).toEqual([
        { failed: expect.stringMatching(/Failed query|disk on fire/) },
        { failed: expect.stringMatching(/Failed query|disk on fire/) },
        { failed: expect.stringMatching(/Failed query|disk on fire/) },
      ]);
      expect(landed.map((result) => ('message' in result ? result.message.content : result))).toEqual([
        'd',
        'e',
      ]);
      expect(await count()).toBe(before + 2);
      const contents = await testDb.database.query<{ content: string }>(
        'select content from chat_messages where post_id = $1 order by id',
        [live.id],
      );
      expect(contents.map((row) => row.content)).toEqual(['d', 'e']);
      // The failed senders may simply retry.
      const retried = await settle([send(senders[3]!, live.id, 'a again')]);
      expect('message' in retried[0]!).toBe(true);
    } finally {
      await testDb.database.query('drop trigger fail_on_boom on chat_messages');
      await testDb.database.query('drop function fail_on_boom()');
    }
  });

  it('a fault in the full path fails only the sends it carried when the fast path already committed', async () => {
    const calm = await seedLive(env, cast.host.user);
    const slow = await seedLive(env, cast.host.user);
    // Slow mode sends its live's messages down the full path.
    await setSlowMode(env, cast.host.user, { postId: slow.id, seconds: 60 });
    await testDb.database.query(`create function fail_on_boom() returns trigger language plpgsql as $$
      begin if new.content = 'boom' then raise exception 'disk on fire'; end if; return new; end $$`);
    await testDb.database.query(
      'create trigger fail_on_boom before insert on chat_messages for each row execute function fail_on_boom()',
    );
    try {
      const before = await count();
      const results = await settle([send(senders[0]!, calm.id, 'fine'), send(senders[1]!, slow.id, 'boom')]);
      const failed = { failed: expect.stringMatching(/Failed query|disk on fire/) };
      if (announcing && testDatabaseKind === 'postgres') {
        expect(results).toEqual([{ message: expect.objectContaining({ content: 'fine' }) }, failed]);
        expect(await count()).toBe(before + 1);
      } else {
        expect(results).toEqual([failed, failed]);
        expect(await count()).toBe(before);
      }
    } finally {
      await testDb.database.query('drop trigger fail_on_boom on chat_messages');
      await testDb.database.query('drop function fail_on_boom()');
    }
  });
});
