import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Author, Message } from '../../shared/wire';
import { ChatCache } from './chat-cache';
import { type ChatChange, ChatChanges } from './chat-changes';
import { openHostDatabase } from './open';

const me: Author = { id: 7, first_name: 'Awa', last_name: 'Ndiaye', profile_picture: null };
const other: Author = { id: 9, first_name: 'Bo', last_name: 'Lee', profile_picture: 'https://x/p.png' };

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

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('chat cache and outbox (real SQLite file)', () => {
  const dirs: string[] = [];
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-cache-'));
    dirs.push(dir);
    return reopen(dir);
  };
  const reopen = (dir: string) => {
    const database = openHostDatabase(dir);
    const changes = new ChatChanges();
    const seen: ChatChange[] = [];
    changes.listen((c) => seen.push(c));
    return { dir, database, cache: new ChatCache(database.sqlite, changes), seen };
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a pending message across a reopen and reports it at once', () => {
    const { dir, database, cache, seen } = open();
    const sent = cache.enqueue({ serverKey: 'embedded', liveId: 1, content: 'Bonjour', author: me });
    expect(cache.follow('embedded', 1)).toBe(true);
    expect(cache.follow('embedded', 1)).toBe(false);
    expect(sent.status).toBe('pending');
    expect(seen).toEqual([{ serverKey: 'embedded', liveId: 1, messages: [sent] }]);
    database.close();
    const again = reopen(dir);
    expect(again.cache.list({ serverKey: 'embedded', liveId: 1, limit: 10 }).messages).toEqual([sent]);
    expect(again.cache.pendingCount('embedded')).toBe(1);
    expect(again.cache.followedLives('embedded')).toEqual([1]);
    again.database.close();
  });

  it('lists oldest → newest with local rows last, and pages back by client_id', () => {
    const { database, cache } = open();
    cache.applyServerMessages(
      'embedded',
      Array.from({ length: 5 }, (_, i) => serverMessage({ id: i + 1, client_id: uuid(i + 1) })),
    );
    const local = cache.enqueue({ serverKey: 'embedded', liveId: 1, content: 'mine', author: me });
    const newest = cache.list({ serverKey: 'embedded', liveId: 1, limit: 3 });
    expect(newest.messages.map((m) => m.content)).toEqual(['m4', 'm5', 'mine']);
    expect(newest.hasMore).toBe(true);
    const back = cache.list({
      serverKey: 'embedded',
      liveId: 1,
      limit: 3,
      before: newest.messages[0]!.client_id,
    });
    expect(back.messages.map((m) => m.content)).toEqual(['m1', 'm2', 'm3']);
    expect(back.hasMore).toBe(false);
    expect(local.status).toBe('pending');
    database.close();
  });

  it('turns our pending row into the server row (same client_id), newer versions win, replays change nothing', () => {
    const { database, cache, seen } = open();
    const local = cache.enqueue({ serverKey: 'embedded', liveId: 1, content: 'hello', author: me });
    const accepted = serverMessage({
      id: 40,
      version: 100,
      client_id: local.client_id,
      author: me,
      content: 'hello',
    });
    cache.applyServerMessages('embedded', [accepted], [{ liveId: 1, cursor: 100 }]);
    const hidden = { ...accepted, version: 101, hidden: true };
    cache.applyServerMessages('embedded', [hidden], [{ liveId: 1, cursor: 101 }]);
    // An old event arriving late, and the same event again, must not undo the hide.
    seen.length = 0;
    expect(cache.applyServerMessages('embedded', [accepted, hidden])).toEqual([]);
    expect(seen).toEqual([]);
    const rows = cache.list({ serverKey: 'embedded', liveId: 1, limit: 10 }).messages;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', server_id: 40, version: 101, hidden: true });
    expect(cache.pendingCount('embedded')).toBe(0);
    expect(cache.cursor('embedded', 1)).toBe(101);
    // Server rows are written without an fsync, but the connection is left durable for the outbox.
    expect(database.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    // The cursor never goes back.
    cache.applyServerMessages('embedded', [], [{ liveId: 1, cursor: 50 }]);
    expect(cache.cursor('embedded', 1)).toBe(101);
    database.close();
  });

  it('rejects with the reason, then retry makes it pending again and discard removes it', () => {
    const { database, cache, seen } = open();
    const a = cache.enqueue({ serverKey: 'embedded', liveId: 1, content: 'a', author: me });
    const b = cache.enqueue({ serverKey: 'embedded', liveId: 1, content: 'b', author: me });
    const [first, second] = cache.outbox('embedded', me.id);
    expect([first?.clientId, second?.clientId]).toEqual([a.client_id, b.client_id]);
    expect(cache.reject('embedded', first!.seq, 'Slow mode: wait 10 s.')).toMatchObject({
      status: 'rejected',
      reason: 'Slow mode: wait 10 s.',
    });
    expect(cache.outbox('embedded', me.id).map((e) => e.clientId)).toEqual([b.client_id]);
    expect(cache.retry('embedded', a.client_id)).toMatchObject({ status: 'pending', reason: null });
    expect(cache.retry('embedded', a.client_id)).toBeNull(); // only a rejected one can be retried
    cache.reject('embedded', first!.seq, 'Banned.');
    seen.length = 0;
    expect(cache.discard('embedded', b.client_id)).toBeNull(); // pending: may already be on the server
    expect(cache.discard('embedded', a.client_id)).toMatchObject({ deleted: true });
    expect(seen[0]?.messages[0]).toMatchObject({ client_id: a.client_id, deleted: true });
    expect(
      cache.list({ serverKey: 'embedded', liveId: 1, limit: 10 }).messages.map((m) => m.content),
    ).toEqual(['b']);
    database.close();
  });

  it('keeps each server apart', () => {
    const { database, cache } = open();
    cache.enqueue({ serverKey: 'embedded', liveId: 1, content: 'here', author: me });
    cache.applyServerMessages('https://chat.example', [serverMessage({ id: 1, client_id: uuid(1) })]);
    expect(
      cache.list({ serverKey: 'embedded', liveId: 1, limit: 10 }).messages.map((m) => m.content),
    ).toEqual(['here']);
    expect(
      cache.list({ serverKey: 'https://chat.example', liveId: 1, limit: 10 }).messages.map((m) => m.content),
    ).toEqual(['m1']);
    expect(cache.pendingCount('https://chat.example')).toBe(0);
    database.close();
  });
});
