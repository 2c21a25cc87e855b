import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/wire';
import { ChatCache } from '../db/chat-cache';
import { ChatChanges } from '../db/chat-changes';
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
  const replay = createReplayService({
    sqlite: database.sqlite,
    changes: chat.changes,
    recordings: createRecordingService({ database, directory: join(dir, 'recordings') }),
    serverKey: () => 'embedded',
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

  it('an unknown recording is a clear error', () => {
    expect(() => replay.open('33333333-3333-4333-8333-333333333333')).toThrow(/No recording/);
  });
});
