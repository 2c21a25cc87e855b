import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Author, Message, Reaction } from '../../shared/wire';
import { ChatCache } from './chat-cache';
import { ChatChanges } from './chat-changes';
import { openHostDatabase } from './open';
import { ReactionOutbox } from './reaction-outbox';
import { serverMessage } from './testing/server-message';

const me: Author = { id: 7, first_name: 'Awa', last_name: 'Ndiaye', profile_picture: null };
const host: Author = { id: 9, first_name: 'Bo', last_name: 'Lee', profile_picture: null };
const CLIENT_ID = '00000000-0000-4000-8000-000000000001';
const KEY = 'embedded';

const fromServer = (version: number, reactions: Reaction[], over: Partial<Message> = {}) =>
  serverMessage({
    id: 1,
    client_id: CLIENT_ID,
    content: 'Bienvenue',
    author: host,
    version,
    reactions,
    ...over,
  });

describe('reaction toggles over the cache (real SQLite file)', () => {
  const dirs: string[] = [];
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-reactions-'));
    dirs.push(dir);
    const database = openHostDatabase(dir);
    const changes = new ChatChanges();
    const cache = new ChatCache(database.sqlite, changes);
    const outbox = new ReactionOutbox(database.sqlite, changes);
    const shown = () => cache.get(KEY, CLIENT_ID)!.reactions;
    const toggle = (emoji: string) =>
      outbox.toggle({ serverKey: KEY, messageClientId: CLIENT_ID, emoji, author: me });
    return { database, cache, outbox, shown, toggle };
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('a refused toggle leaves the server’s counts, even after toggles that cancelled out offline', () => {
    const { database, cache, outbox, shown, toggle } = open();
    cache.applyServerMessages(KEY, [fromServer(1, [{ emoji: '👍', count: 2, mine: false }])]);
    // Offline: ❤️ given then taken back; the queue holds the last word, "not given".
    toggle('❤️');
    expect(shown()).toEqual([
      { emoji: '👍', count: 2, mine: false },
      { emoji: '❤️', count: 1, mine: true },
    ]);
    toggle('❤️');
    expect(shown()).toEqual([{ emoji: '👍', count: 2, mine: false }]);
    // Meanwhile the host hid the message: the pull brings it with no reactions, then the toggle is refused.
    cache.applyServerMessages(KEY, [fromServer(2, [], { hidden: true, content: '' })]);
    const entry = outbox.next(KEY, me.id)!;
    expect(entry.on).toBe(false);
    outbox.refused(KEY, entry);
    // The old guess (`!on` applied to what showed) left a phantom ❤️ 1 here.
    expect(shown()).toEqual([]);
    expect(outbox.pendingCount(KEY)).toBe(0);
    database.close();
  });

  it('a newer row from the server keeps showing what this user has not sent yet, in the server’s order', () => {
    const { database, cache, shown, toggle } = open();
    cache.applyServerMessages(KEY, [fromServer(1, [{ emoji: '👍', count: 1, mine: false }])]);
    toggle('🎉');
    // Someone else gave 🔥 before our 🎉 reached the server.
    cache.applyServerMessages(KEY, [
      fromServer(2, [
        { emoji: '👍', count: 1, mine: false },
        { emoji: '🔥', count: 1, mine: false },
      ]),
    ]);
    expect(shown()).toEqual([
      { emoji: '👍', count: 1, mine: false },
      { emoji: '🔥', count: 1, mine: false },
      { emoji: '🎉', count: 1, mine: true },
    ]);
    // Off then on before it is sent: the same place, not moved to the end.
    toggle('👍');
    toggle('👍');
    expect(shown().map((r) => r.emoji)).toEqual(['👍', '🔥', '🎉']);
    expect(shown()[0]).toEqual({ emoji: '👍', count: 1, mine: false });
    database.close();
  });

  it('a toggle changed while its first word was refused stays queued and shown', () => {
    const { database, cache, outbox, shown, toggle } = open();
    cache.applyServerMessages(KEY, [fromServer(1, [{ emoji: '👍', count: 1, mine: false }])]);
    toggle('👍');
    const sent = outbox.next(KEY, me.id)!;
    expect(sent.on).toBe(true);
    // Taken back while "given" was on its way: the refusal of "given" does not drop "taken back".
    toggle('👍');
    outbox.refused(KEY, sent);
    expect(outbox.pendingCount(KEY)).toBe(1);
    expect(outbox.next(KEY, me.id)!.on).toBe(false);
    expect(shown()).toEqual([{ emoji: '👍', count: 1, mine: false }]);
    database.close();
  });
});
