import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HostDatabase, openHostDatabase } from '../db/open';
import type { Host } from '../host';
import { createRecordingService, type RecordingService } from '../recording/recording-service';
import { hostRouter } from './index';

const FIRST_CHUNK = readFileSync(
  new URL('../recording/fixtures/chromium-vp9/0000.bin', import.meta.url),
).toString('base64');

let dir: string;
let database: HostDatabase;
let recordings: RecordingService;
let caller: ReturnType<typeof hostRouter.createCaller>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-recording-router-'));
  database = openHostDatabase(dir);
  recordings = createRecordingService({ database, directory: join(dir, 'recordings') });
  // The recording procedures only reach `host.recordings`, the sync engine's clock offset and the chosen server.
  // The offset (server − local) is kept with the recording for replay: a recognisable value shows it was taken.
  const sync = { clockOffsetMs: () => 1234 };
  const link = { target: { serverKey: 'https://chat.example.org' } };
  caller = hostRouter.createCaller({
    host: { recordings, sync, link } as unknown as Host,
    transport: 'direct',
  });
});
afterEach(async () => {
  await recordings.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recording.* procedures', () => {
  it('runs a recording through start, chunk, marker, stop and lists it', async () => {
    const { id } = await caller.recording.start({ mime: 'video/webm;codecs=vp9,opus', liveId: 3 });
    const result = await caller.recording.chunk({ id, seq: 0, data: FIRST_CHUNK });
    expect(result).toMatchObject({ outcome: 'written', nextSeq: 1 });
    expect(result.bytes).toBeGreaterThan(Buffer.from(FIRST_CHUNK, 'base64').length); // head reserved
    await caller.recording.marker({ id, label: 'début' });
    await caller.recording.stop({ id, lastSeq: 0 });
    await recordings.whenFinalized(id);
    const [listed] = await caller.recording.list();
    expect(listed).toMatchObject({
      id,
      live_id: 3,
      server_key: 'https://chat.example.org',
      status: 'ready',
      server_clock_offset_ms: 1234,
    });
    expect(listed!.markers[0]).toMatchObject({ label: 'début' });
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const { id } = await caller.recording.start({ mime: 'video/webm' });
    await expect(caller.recording.chunk({ id, seq: 0, data: 'not base64 ***' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.recording.chunk({ id, seq: -1, data: FIRST_CHUNK })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.recording.chunk({ id: 'x', seq: 0, data: FIRST_CHUNK })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect((await caller.recording.get({ id })).bytes).toBe(0);
    await expect(caller.recording.start({ mime: 'video/mp4' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('WebM'),
    });
    await expect(
      caller.recording.chunk({ id: '00000000-0000-4000-8000-000000000000', seq: 0, data: FIRST_CHUNK }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.recording.delete({ id })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(existsSync(join(dir, 'recordings', `${id}.webm.part`))).toBe(true);
    expect((await caller.recording.list()).map((r) => r.id)).toEqual([id]);
  });
});
