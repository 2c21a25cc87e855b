import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Author, MESSAGE_FLAG, type Message, type PullColumnsPage } from '../../shared/wire';
import { ChatCache } from './chat-cache';
import { type ChatChange, ChatChanges } from './chat-changes';
import { openHostDatabase } from './open';

const me: Author = { id: 7, first_name: 'Awa', last_name: 'Ndiaye', profile_picture: null };
const other: Author = { id: 9, first_name: 'Bo', last_name: 'Lee', profile_picture: 'https://x/p.png' };
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function serverMessage(over: Partial<Message> & { id: number; client_id: string }): Message {
  return {
    content: `m${over.id}`,
    timestamp: new Date(1_800_000_000_000 + over.id * 1000).toISOString(),
    author: other,
    post_id: 1,
    version: over.id,
    hidden: false,
    deleted: false,
    held: false,
    type: 'text',
    reply_to: null,
    reactions: [],
    ...over,
  };
}

/** The page `chat.pullColumns` sends for these messages (one live, version order). */
function columns(messages: Message[], cursor: number): PullColumnsPage {
  const authors = new Map(messages.map((m) => [m.author.id, m.author]));
  return {
    cursor,
    hasMore: false,
    total: null,
    messages: {
      id: messages.map((m) => m.id),
      version: messages.map((m) => m.version),
      client_id: messages.map((m) => m.client_id),
      content: messages.map((m) => m.content),
      created_at: messages.map((m) => m.timestamp),
      author_id: messages.map((m) => m.author.id),
      flags: messages.map(
        (m) =>
          (m.hidden ? MESSAGE_FLAG.hidden : 0) |
          (m.deleted ? MESSAGE_FLAG.deleted : 0) |
          (m.held ? MESSAGE_FLAG.held : 0),
      ),
    },
    authors: [...authors.values()],
    live: null,
  };
}

describe('chat cache: a pulled page of columns (real SQLite file)', () => {
  const dirs: string[] = [];
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-cache-columns-'));
    dirs.push(dir);
    const database = openHostDatabase(dir);
    const changes = new ChatChanges();
    const seen: ChatChange[] = [];
    changes.listen((c) => seen.push(c));
    return { database, cache: new ChatCache(database.sqlite, changes), seen };
  };
  const rowsOf = (database: ReturnType<typeof openHostDatabase>) =>
    database.sqlite.prepare('select * from messages order by seq').all();
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same rows, cursor and changes as the per-message path, into an empty cache and over one', () => {
    const events = open();
    const cols = open();
    // A message typed here and still pending in both caches: the page's copy of it acknowledges it.
    const typed = events.cache.enqueue({ serverKey: 's', liveId: 1, content: 'à moi', author: me });
    const [pending] = rowsOf(events.database) as Record<string, unknown>[];
    const names = Object.keys(pending!);
    cols.database.sqlite
      .prepare(`insert into messages (${names.join(', ')}) values (${names.map((n) => `@${n}`).join(', ')})`)
      .run(pending);
    expect(rowsOf(cols.database)).toEqual(rowsOf(events.database));
    events.seen.length = 0;

    const first = [
      serverMessage({ id: 1, client_id: uuid(1) }),
      serverMessage({ id: 2, client_id: typed.client_id, author: me, content: 'à moi' }),
      serverMessage({ id: 3, client_id: uuid(3), hidden: true }),
      serverMessage({ id: 4, client_id: uuid(4), held: true, deleted: true, content: '' }),
    ];
    // The second page brings moderation of rows already cached, and one stale copy that must lose.
    const second = [
      serverMessage({ id: 1, client_id: uuid(1), version: 6, hidden: true, content: '' }),
      serverMessage({ id: 3, client_id: uuid(3), version: 7 }),
      serverMessage({ id: 5, client_id: uuid(5), version: 8, author: me }),
    ];
    const stale = [serverMessage({ id: 3, client_id: uuid(3), version: 5, hidden: true })];
    for (const [page, cursor] of [
      [first, 4],
      [second, 8],
      [stale, 9],
    ] as const) {
      events.cache.applyServerMessages('s', [...page], [{ liveId: 1, cursor }]);
      cols.cache.applyServerColumns('s', 1, columns([...page], cursor));
    }
    expect(rowsOf(cols.database)).toEqual(rowsOf(events.database));
    expect(cols.cache.cursor('s', 1)).toBe(9);
    expect(cols.seen).toEqual(events.seen.filter((c) => c.messages.length > 0));
    expect(cols.seen.map((c) => c.messages.map((m) => m.version))).toEqual([
      [1, 2, 3, 4],
      [6, 7, 8],
    ]);
    expect(cols.cache.list({ serverKey: 's', liveId: 1, limit: 10 }).messages).toEqual(
      events.cache.list({ serverKey: 's', liveId: 1, limit: 10 }).messages,
    );
    expect(cols.cache.get('s', typed.client_id)).toMatchObject({ status: 'sent', server_id: 2 });
    expect(cols.cache.pendingCount('s')).toBe(0);
    expect(cols.cache.get('s', uuid(3))).toMatchObject({ version: 7, hidden: false, content: 'm3' });
  });

  it('is idempotent: the same page again writes nothing and reports nothing, the cursor never goes back', () => {
    const { cache, seen } = open();
    const page = columns([serverMessage({ id: 1, client_id: uuid(1) })], 10);
    expect(cache.applyServerColumns('s', 1, page)).toBe(1);
    expect(cache.applyServerColumns('s', 1, { ...page, cursor: 5 })).toBe(0);
    expect(cache.cursor('s', 1)).toBe(10);
    expect(seen).toHaveLength(1);
    // Without listeners (report: false) it writes the same and tells nobody.
    expect(cache.applyServerColumns('s2', 1, page, { report: false })).toBe(1);
    expect(seen).toHaveLength(1);
  });
});
