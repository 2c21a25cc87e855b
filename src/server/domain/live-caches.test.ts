import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChangeNotice, publishNotice } from '../realtime/fanout';
import { type SeededUser, seedLive, seedUser } from '../testing/fixtures';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { cachedMatcherCount, setBlockedTerms } from './blocked-terms';
import { sendMessage } from './chat';
import { createDomainEnv, type DomainEnv } from './env';
import { LruMap } from './lru';
import { cachedHintCount } from './send-fast-path';

describe('LruMap', () => {
  it('keeps at most its capacity, forgetting the least recently used first', () => {
    const lru = new LruMap<number, string>(2);
    lru.set(1, 'a');
    lru.set(2, 'b');
    expect(lru.get(1)).toBe('a'); // 1 is now the most recent: 2 goes first
    lru.set(3, 'c');
    expect([lru.get(1), lru.get(2), lru.get(3), lru.size]).toEqual(['a', undefined, 'c', 2]);
    lru.set(3, 'c2'); // replacing a key does not grow it
    expect([lru.size, lru.get(3)]).toEqual([2, 'c2']);
    expect(() => new LruMap(0)).toThrow('LRU capacity must be ≥ 1, got 0');
  });
});

/**
 * The send path's per-live caches (blocked-terms matchers, fast-path hints) on a process that sees many lives:
 * bounded by `limits.cachedLives`, and a forgotten live is served as correctly as a remembered one.
 */
describe(`send-path caches stay bounded (${testDatabaseKind})`, () => {
  const CAPACITY = 3;
  let testDb: TestDatabase;
  let env: DomainEnv;
  let host: SeededUser;
  let viewer: SeededUser;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    env = createDomainEnv(
      testDb.database,
      // With an announcer, as the server runs: on Postgres, sends take the fast path and its hints.
      { publish: publishNotice, announce: (_notice: ChangeNotice) => {} },
      { cachedLives: CAPACITY, rateViewer: 1000 },
    );
    host = await seedUser(env, 'Hana', 'Host');
    viewer = await seedUser(env, 'Vic', 'Viewer');
  }, 180_000);
  afterAll(() => testDb?.drop());

  const send = (postId: number, content: string) =>
    sendMessage(env, viewer.user, { postId, clientId: randomUUID(), content });

  it('holds at most `cachedLives` lives however many are sent to, and rebuilds a forgotten one', async () => {
    const lives = [];
    for (let i = 0; i < CAPACITY * 3; i++) {
      const live = await seedLive(env, host.user, { title: `Live ${i}` });
      await setBlockedTerms(env, host.user, { postId: live.id, terms: [`word${i}`] });
      lives.push(live);
    }
    for (const [i, live] of lives.entries()) {
      // Twice: the first send reads the live (hint), the second may take the fast path with the matcher.
      expect((await send(live.id, `hello ${i}`)).held).toBe(false);
      expect((await send(live.id, `a word${i} here`)).held).toBe(true);
      expect(cachedMatcherCount(env)).toBeLessThanOrEqual(CAPACITY);
      expect(cachedHintCount(env)).toBeLessThanOrEqual(CAPACITY);
    }
    expect(cachedMatcherCount(env)).toBe(CAPACITY);
    if (testDatabaseKind === 'postgres') expect(cachedHintCount(env)).toBe(CAPACITY);
    // The first live was forgotten long ago: its list still holds, its clean messages still pass.
    expect((await send(lives[0]!.id, 'again word0')).held).toBe(true);
    expect((await send(lives[0]!.id, 'again clean')).held).toBe(false);
    expect(cachedMatcherCount(env)).toBe(CAPACITY);
  });
});
