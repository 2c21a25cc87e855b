import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/wire';
import { ChatCache } from './chat-cache';
import { ChatChanges } from './chat-changes';
import { ChatSearch, matchExpression } from './chat-search';
import { openHostDatabase } from './open';
import { serverMessage, testClientId } from './testing/server-message';

const KEY = 'embedded';
const uuid = testClientId;
const author = { id: 9, first_name: 'Élodie', last_name: 'Martin', profile_picture: null };
const message = (id: number, content: string, over: Partial<Message> = {}) =>
  serverMessage({ id, content, author, ...over });

describe('full-text search of the cached chat (FTS5, real SQLite file)', () => {
  const dirs: string[] = [];
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-search-'));
    dirs.push(dir);
    const database = openHostDatabase(dir);
    return {
      database,
      cache: new ChatCache(database.sqlite, new ChatChanges()),
      search: new ChatSearch(database.sqlite),
    };
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('turns what a user typed into word prefixes, all required; nothing to match without a word', () => {
    expect(matchExpression('  mess 42 ')).toBe('"mess"* "42"*');
    expect(matchExpression('l\'"été" 7.5')).toBe('"l été"* "7 5"*');
    expect(matchExpression('🎉 !!')).toBeNull();
  });

  const everything = { from: '2000-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z', limit: 10_000 };
  const find = (search: ChatSearch, liveId: number, query: string) =>
    search.search(KEY, liveId, query, everything)!.clientIds;

  it('indexes a live when asked, in slices, then keeps it in step with what the sync writes', async () => {
    const { database, cache, search } = open();
    // More than one build slice, and a second live that must not be searched.
    const rows = Array.from({ length: 2_500 }, (_, i) => message(i + 1, `message ${i + 1} du live`));
    cache.applyServerMessages(KEY, rows);
    cache.applyServerMessages(KEY, [message(5_000, 'message de la fête', { post_id: 2 })]);
    expect(search.ready(KEY, 1)).toBe(false);
    await search.build(KEY, 1);
    expect(search.ready(KEY, 1)).toBe(true);
    expect(search.ready(KEY, 2)).toBe(false);

    expect(find(search, 1, 'message 2499')).toEqual([uuid(2499)]);
    // A piece with punctuation in it is a phrase, its words side by side: "24 du" is message 24 only.
    expect(find(search, 1, '24,du')).toEqual([uuid(24)]);
    expect(find(search, 1, 'du.24')).toEqual([]);
    expect(find(search, 1, 'du')).toHaveLength(2_500);
    // Accents and case folded, by author too.
    expect(find(search, 1, 'ELODIE 17').length).toBeGreaterThan(1);

    // A newer row from the sync replaces the indexed text; a deleted message is not found.
    cache.applyServerMessages(KEY, [
      message(7, 'on se retrouve à la fête', { version: 9_000 }),
      message(8, 'message 8 du live', { version: 9_001, deleted: true }),
    ]);
    expect(find(search, 1, 'fete')).toEqual([uuid(7)]);
    // ("7" is a prefix: 70, 700… are found, message 7 no more.)
    expect(find(search, 1, 'message 7')).not.toContain(uuid(7));
    expect(find(search, 1, 'message 7')).toContain(uuid(70));
    expect(find(search, 1, 'message 8')).not.toContain(uuid(8));
    // A message that arrives after the build is indexed as it is written.
    cache.applyServerMessages(KEY, [message(3_000, 'dernière question')]);
    expect(find(search, 1, 'derniere')).toEqual([uuid(3_000)]);
    // The other live was never indexed: nothing of it is found through live 1, and its rows cost no index.
    expect(find(search, 1, 'la fête')).toEqual([uuid(7)]);
    // In time order, the first `limit` of them, with how many in all (not 7, not 8); only those sent in the range.
    const some = search.search(KEY, 1, 'du live', { ...everything, limit: 3 })!;
    expect(some).toEqual({ clientIds: [uuid(1), uuid(2), uuid(3)], total: 2_498 });
    const from = new Date(1_800_000_000_000 + 2_000 * 1000).toISOString();
    expect(search.search(KEY, 1, 'du live', { ...everything, from })!.total).toBe(501);
    const indexed = database.sqlite.prepare('select count(*) as n from messages_fts').get() as { n: number };
    expect(indexed.n).toBe(2_501);
    database.close();
  });
});
