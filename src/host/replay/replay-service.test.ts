import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/wire';
import { ChatCache } from '../db/chat-cache';
import { ChatChanges } from '../db/chat-changes';
import { ChatSearch } from '../db/chat-search';
import { ReactionHistoryStore } from '../db/reaction-history-store';
import { openHostDatabase } from '../db/open';
import { recordings } from '../db/schema/recordings';
import { createRecordingService } from '../recording/recording-service';
import { createReplayService } from './replay-service';

const START = Date.parse('2026-03-01T20:00:00.000Z');
const dir = mkdtempSync(join(tmpdir(), 'cc-replay-'));
const database = openHostDatabase(dir);
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

function serverMessage(id: number, serverMs: number, content: string): Message {
  return {
    id,
    post_id: 4,
    client_id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    version: id,
    content,
    timestamp: new Date(serverMs).toISOString(),
    author: { id: 9, first_name: 'Inès', last_name: 'Diallo', profile_picture: null },
    hidden: false,
    deleted: false,
    held: false,
    type: 'text',
    reply_to: null,
    reactions: [],
  };
}

describe('replay service over the real SQLite cache', () => {
  const chat = new ChatCache(database.sqlite, new ChatChanges());
  const id = '22222222-2222-4222-8222-222222222222';
  // The server clock runs 3 s ahead; the recorder paused from 10 s to 20 s.
  database.db
    .insert(recordings)
    .values({
      id,
      liveId: 4,
      liveTitle: 'Soirée',
      startedAt: new Date(START).toISOString(),
      endedAt: new Date(START + 40_000).toISOString(),
      serverClockOffsetMs: 3_000,
      mime: 'video/webm',
      ext: 'webm',
      status: 'ready',
      durationMs: 30_000,
      pauses: [{ start: START + 10_000, end: START + 20_000 }],
    })
    .run();
  chat.applyServerMessages('embedded', [
    serverMessage(1, START + 3_000 - 1_000, 'avant le début'),
    serverMessage(2, START + 3_000 + 2_000, 'à 2 s'),
    serverMessage(3, START + 3_000 + 15_000, 'pendant la pause'),
    serverMessage(4, START + 3_000 + 25_000, 'à 15 s de vidéo'),
  ]);
  chat.applyServerMessages('other-server', [serverMessage(5, START + 3_000 + 4_000, 'autre serveur')]);
  const reactionHistory = new ReactionHistoryStore(database.sqlite);
  const replay = createReplayService({
    sqlite: database.sqlite,
    changes: chat.changes,
    recordings: createRecordingService({ database, directory: join(dir, 'recordings') }),
    serverKey: () => 'embedded',
    reactionHistory,
    readerId: () => 9,
  });

  it('places the chosen server’s messages with the clock offset and the pause', () => {
    const opened = replay.open(id);
    expect(opened).toMatchObject({ total: 3, video_path: `/recordings/${id}.webm` });
    const all = replay.window(id, 60_000, 10, 0).messages;
    expect(all.map((m) => [m.content, m.video_ms])).toEqual([
      ['à 2 s', 2_000],
      ['pendant la pause', 10_000],
      ['à 15 s de vidéo', 15_000],
    ]);
    expect(replay.window(id, 0, 10, 10).position).toBe(0);
    expect(replay.search(id, 'PAUSE', 10).hits[0]).toMatchObject({ video_ms: 10_000 });
  });

  it('searches through the full-text index once the replay built it, in video order, placed messages only', async () => {
    const search = new ChatSearch(database.sqlite);
    const indexed = createReplayService({
      sqlite: database.sqlite,
      changes: chat.changes,
      recordings: createRecordingService({ database, directory: join(dir, 'recordings') }),
      serverKey: () => 'embedded',
      search,
    });
    // Before the index is there, the scan answers (a substring inside a word too).
    expect(search.ready('embedded', 4)).toBe(false);
    expect(indexed.search(id, 'ause', 10).total).toBe(1);
    indexed.open(id);
    await search.build('embedded', 4);
    expect(search.ready('embedded', 4)).toBe(true);
    // By word prefix, accents folded: "a s" finds "à 2 s" and "à 15 s de vidéo".
    expect(indexed.search(id, 'A S', 10)).toMatchObject({
      total: 2,
      hits: [{ video_ms: 2_000 }, { video_ms: 15_000 }],
    });
    expect(indexed.search(id, 'ause', 10).total).toBe(0);
    // "avant le début" is in the index, but was sent before the recording started: not a hit of this replay.
    const anyTime = { from: '2000-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z', limit: 10 };
    expect(search.search('embedded', 4, 'debut', anyTime)?.total).toBe(1);
    expect(indexed.search(id, 'debut', 10).total).toBe(0);
    expect(indexed.search(id, 'pause', 1)).toMatchObject({
      total: 1,
      hits: [{ content: 'pendant la pause' }],
    });
    indexed.close();
  });

  it('follows the cache: a message hidden by a moderator is hidden in the open replay', () => {
    replay.open(id);
    chat.applyServerMessages('embedded', [
      { ...serverMessage(2, START + 5_000, 'à 2 s'), hidden: true, version: 50 },
    ]);
    expect(replay.window(id, 2_000, 10, 0).messages.at(-1)).toMatchObject({ content: 'à 2 s', hidden: true });
  });

  it("reads the chat of the recording's own server, whichever server is chosen now", async () => {
    const service = createRecordingService({ database, directory: join(dir, 'recordings') });
    const made = await service.start({ mime: 'video/webm', liveId: 4, serverKey: 'other-server' });
    expect(made.server_key).toBe('other-server');
    database.db
      .update(recordings)
      .set({
        status: 'ready',
        startedAt: new Date(START).toISOString(),
        endedAt: new Date(START + 40_000).toISOString(),
        serverClockOffsetMs: 3_000,
      })
      .where(eq(recordings.id, made.id))
      .run();
    // 'embedded' is chosen now (serverKey above), and it has a live 4 of its own with other messages.
    expect(replay.open(made.id).total).toBe(1);
    expect(replay.window(made.id, 60_000, 10, 0).messages.map((m) => m.content)).toEqual(['autre serveur']);
    await service.close();
  });

  it('shows reactions as they stood at the moment of the video (given, taken back, before the start)', () => {
    // Message 4 (15 s of video) now has 👍 from 7 and 9 (its cached counts); the history says when.
    chat.applyServerMessages('embedded', [
      {
        ...serverMessage(4, START + 3_000 + 25_000, 'à 15 s de vidéo'),
        version: 60,
        reactions: [{ emoji: '👍', count: 2, mine: true }],
      },
    ]);
    const at = (videoSeconds: number) =>
      replay.window(id, videoSeconds * 1000, 10, 0).messages.find((m) => m.server_id === 4)?.reactions;
    // No history copied yet: the counts of now.
    expect(at(16)).toEqual([{ emoji: '👍', count: 2, mine: true }]);
    const server = (videoMs: number) => new Date(START + 3_000 + 10_000 + videoMs).toISOString(); // video ms ≥ 10 s (after the pause)
    reactionHistory.save(
      'embedded',
      4,
      {
        entries: [
          {
            id: 1,
            message_id: 4,
            emoji: '👍',
            user_id: 7,
            name: 'Sam',
            given_at: server(16_000),
            taken_at: null,
          },
          {
            id: 2,
            message_id: 4,
            emoji: '🔥',
            user_id: 7,
            name: 'Sam',
            given_at: server(17_000),
            taken_at: server(22_000),
          },
          {
            id: 3,
            message_id: 4,
            emoji: '👍',
            user_id: 9,
            name: 'Inès',
            given_at: server(28_000),
            taken_at: null,
          },
          // Given before the recording started, on message 2: standing from the first frame.
          {
            id: 4,
            message_id: 2,
            emoji: '❤️',
            user_id: 7,
            name: 'Sam',
            given_at: new Date(START).toISOString(),
            taken_at: null,
          },
        ],
        next_after_id: null,
        as_of: new Date(START + 60_000).toISOString(),
      },
      true,
    );
    expect(at(15.5)).toEqual([]);
    expect(at(16)).toEqual([{ emoji: '👍', count: 1, mine: false }]);
    expect(at(17.5)).toEqual([
      { emoji: '👍', count: 1, mine: false },
      { emoji: '🔥', count: 1, mine: false },
    ]);
    expect(at(22.5)).toEqual([{ emoji: '👍', count: 1, mine: false }]);
    expect(at(28)).toEqual([{ emoji: '👍', count: 2, mine: true }]);
    expect(replay.window(id, 2_000, 10, 0).messages.at(-1)?.reactions).toEqual([
      { emoji: '❤️', count: 1, mine: false },
    ]);
    expect(reactionHistory.givers('embedded', 4)).toEqual([{ emoji: '👍', names: ['Sam', 'Inès'] }]);
  });

  it('an unknown recording is a clear error', () => {
    expect(() => replay.open('33333333-3333-4333-8333-333333333333')).toThrow(/No recording/);
  });
});
