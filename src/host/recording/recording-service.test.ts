import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HostDatabase, openHostDatabase } from '../db/open';
import { createRecordingService } from './recording-service';

const FIXTURES = fileURLToPath(new URL('./fixtures/chromium-vp9', import.meta.url));
/** Ten 1-second chunks of a real Chromium MediaRecorder (fake camera, VP9 + Opus, WebM). */
const chunks = readdirSync(FIXTURES)
  .sort()
  .map((name) => new Uint8Array(readFileSync(join(FIXTURES, name))));
const MIME = 'video/webm;codecs=vp9,opus';

let dataDir: string;
let database: HostDatabase;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cc-recording-'));
  database = openHostDatabase(dataDir);
});
afterEach(() => {
  database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function probe(file: string) {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration:stream=codec_type',
    '-of',
    'json',
    file,
  ]);
  return JSON.parse(out.toString()) as { format: { duration?: string }; streams: { codec_type: string }[] };
}
function decodeErrors(file: string): string {
  // ffmpeg reports on stderr: that is what must stay empty.
  const run = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  if (run.status !== 0) return `ffmpeg exited ${run.status}: ${run.stderr}`;
  // The fixture's own bytes (recorded by Chromium on a loaded machine) repeat one audio timestamp; ffmpeg's
  // null muxer names it for the raw chunks just the same, so that line says nothing about finalization.
  return run.stderr
    .split('\n')
    .filter((line) => line.trim() && !/non monotonically increasing dts/.test(line))
    .join('\n');
}

describe('recording service', () => {
  it('records chunks, finalizes a seekable file with its duration, and lists it as ready', async () => {
    const service = createRecordingService({ database, directory: join(dataDir, 'recordings') });
    const started = await service.start({
      mime: MIME,
      liveId: 7,
      liveTitle: 'Atelier',
      serverClockOffsetMs: 42,
    });
    expect(started.status).toBe('recording');
    // Chunk 1 arrives after 2 and chunk 3 twice: the file must still be the recorder's stream in order.
    const order = [0, 2, 1, 3, 3, 4, 5, 6, 7, 8, 9];
    for (const seq of order) await service.chunk(started.id, seq, chunks[seq]!);
    const stopping = await service.stop(started.id, 9);
    expect(stopping.status).toBe('finalizing');
    const done = await service.whenFinalized(started.id);
    expect(done).toMatchObject({
      status: 'ready',
      live_id: 7,
      live_title: 'Atelier',
      server_clock_offset_ms: 42,
    });
    expect(done.gaps).toEqual([]);
    expect(done.duration_ms).toBeGreaterThan(9_500);
    expect(done.duration_ms).toBeLessThan(10_500);

    const file = service.fileFor(started.id)!.path;
    expect(file.endsWith(`${started.id}.webm`)).toBe(true);
    expect(existsSync(`${file}.part`)).toBe(false);
    const info = probe(file);
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(Number(info.format.duration)).toBeCloseTo(done.duration_ms! / 1000, 0);
    expect(decodeErrors(file)).toBe('');
    // Cues (Matroska ID 0x1C53BB6B) are what make seeking work without reading the whole file.
    expect(readFileSync(file).includes(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]))).toBe(true);
    expect(service.list().map((r) => r.id)).toEqual([started.id]);
    await service.close();
  });

  it('keeps pauses and places markers in video time, pauses taken off', async () => {
    let clock = 1_000_000;
    const service = createRecordingService({
      database,
      directory: join(dataDir, 'recordings'),
      now: () => clock,
    });
    const { id } = await service.start({ mime: MIME });
    clock += 2_000;
    service.pause(id);
    clock += 5_000;
    service.resume(id);
    clock += 1_000;
    const marker = service.marker(id, 'question');
    expect(marker.videoMs).toBe(3_000);
    expect(service.get(id).pauses).toEqual([{ start: 1_002_000, end: 1_007_000 }]);
    expect(service.get(id).markers).toEqual([marker]);
    await service.chunk(id, 0, chunks[0]!);
    await service.stop(id, 0);
    await service.whenFinalized(id);
    await service.close();
  });

  it('refuses what makes no sense, and changes nothing', async () => {
    const service = createRecordingService({ database, directory: join(dataDir, 'recordings') });
    await expect(service.start({ mime: 'video/mp4' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(service.list()).toEqual([]);
    await expect(service.chunk('nope', 0, chunks[0]!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { id } = await service.start({ mime: MIME });
    await expect(service.delete(id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await service.chunk(id, 0, chunks[0]!);
    await service.stop(id, 0);
    await expect(service.chunk(id, 1, chunks[1]!)).rejects.toMatchObject({ code: 'CONFLICT' });
    await service.whenFinalized(id);
    await service.close();
  });

  it('deletes the file and the row', async () => {
    const service = createRecordingService({ database, directory: join(dataDir, 'recordings') });
    const { id } = await service.start({ mime: MIME });
    for (let seq = 0; seq < 3; seq++) await service.chunk(id, seq, chunks[seq]!);
    await service.stop(id, 2);
    await service.whenFinalized(id);
    const file = service.fileFor(id)!.path;
    await service.delete(id);
    expect(existsSync(file)).toBe(false);
    expect(service.list()).toEqual([]);
    await expect(service.delete(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await service.close();
  });

  it('recovers a recording cut by a crash mid-chunk: finalized, marked recovered, with its real duration', async () => {
    const directory = join(dataDir, 'recordings');
    const first = createRecordingService({ database, directory });
    const { id } = await first.start({ mime: MIME, liveTitle: 'Crash' });
    for (let seq = 0; seq < 5; seq++) await first.chunk(id, seq, chunks[seq]!);
    // The process dies: nothing is stopped, and half of the next chunk made it to the disk.
    await first.close();
    appendFileSync(join(directory, `${id}.webm.part`), chunks[5]!.subarray(0, chunks[5]!.length / 2));

    const second = createRecordingService({ database, directory });
    await second.recovery;
    const recovered = second.get(id);
    expect(recovered.status).toBe('recovered');
    expect(recovered.duration_ms).toBeGreaterThanOrEqual(4_500);
    expect(recovered.duration_ms).toBeLessThan(6_000);
    const file = second.fileFor(id)!.path;
    expect(probe(file).streams).toHaveLength(2);
    expect(decodeErrors(file)).toBe('');
    await second.close();
  });

  it('marks a recording that never got a byte as failed, and keeps it listed', async () => {
    const directory = join(dataDir, 'recordings');
    const first = createRecordingService({ database, directory });
    const { id } = await first.start({ mime: MIME });
    await first.close();
    const second = createRecordingService({ database, directory });
    await second.recovery;
    expect(second.get(id)).toMatchObject({ status: 'failed', error: 'no data was written' });
    await second.close();
  });
});
