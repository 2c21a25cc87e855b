import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterScan } from './cluster-scan';
import { concat } from './ebml';
import { finalizeInPlace } from './finalize-in-place';
import { ChunkWriter } from '../chunk-writer';
import { prepareRecordingHead, RESERVED_HEAD_BYTES, reserveHeaderSpace } from './reserve-header';

const FIXTURES = fileURLToPath(new URL('../fixtures/chromium-vp9', import.meta.url));
const chunks = readdirSync(FIXTURES)
  .sort()
  .map((name) => new Uint8Array(readFileSync(join(FIXTURES, name))));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-inplace-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function ffprobe(file: string, entries: string): string {
  return execFileSync('ffprobe', ['-v', 'error', '-show_entries', entries, '-of', 'csv=p=0', file], {
    encoding: 'utf8',
  }).trim();
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
/** A recording as the service writes it: the first chunk with its head reserved, the others as they came. */
function recorded(count: number): Uint8Array {
  return concat([reserveHeaderSpace(chunks[0]!)!, ...chunks.slice(1, count)]);
}

describe('reserveHeaderSpace', () => {
  it('inserts a Void at the start of the Segment, and the file still plays', () => {
    const reserved = reserveHeaderSpace(chunks[0]!)!;
    // Chromium already writes the Segment's unknown size on 8 bytes: only the Void is added.
    expect(reserved.length).toBe(chunks[0]!.length + RESERVED_HEAD_BYTES);
    const file = join(dir, 'reserved.webm');
    writeFileSync(file, recorded(10));
    expect(ffprobe(file, 'stream=codec_name').split('\n').sort()).toEqual(['opus', 'vp9']);
  });

  it('leaves anything that is not a WebM head alone', () => {
    expect(reserveHeaderSpace(chunks[1]!)).toBeNull();
    expect(reserveHeaderSpace(new Uint8Array([1, 2, 3]))).toBeNull();
  });
});

describe('prepareRecordingHead', () => {
  it('waits for a head the recorder cut into pieces, passes anything else through', () => {
    expect(prepareRecordingHead(chunks[0]!.subarray(0, 1))).toBeNull();
    expect(prepareRecordingHead(chunks[0]!.subarray(0, 30))).toBeNull();
    expect(prepareRecordingHead(chunks[0]!)).toEqual(reserveHeaderSpace(chunks[0]!));
    const mp4 = new Uint8Array([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70]);
    expect(prepareRecordingHead(mp4)).toBe(mp4);
  });

  it('a head sent one byte at a time (Chromium under load) still gets its room, and stops in place', async () => {
    const file = join(dir, 'split.webm');
    const writer = await ChunkWriter.open(file, {
      head: { prepare: prepareRecordingHead, maxBytes: 64 * 1024 },
    });
    const first = chunks[0]!;
    const pieces = [...Array.from(first.subarray(0, 40), (byte) => Uint8Array.of(byte)), first.subarray(40)];
    let seq = 0;
    for (const piece of [...pieces, ...chunks.slice(1, 10)]) await writer.accept(seq++, piece);
    await writer.close();
    expect(readFileSync(file).subarray(0, first.length + RESERVED_HEAD_BYTES)).toEqual(
      Buffer.from(reserveHeaderSpace(first)!),
    );
    expect(await finalizeInPlace(file)).not.toBeNull();
    expect(decodeErrors(file)).toBe('');
  });
});

describe('finalizeInPlace', () => {
  it('writes duration, cues and a seek head without copying the clusters', async () => {
    const file = join(dir, 'a.webm');
    writeFileSync(file, recorded(10));
    const before = statSync(file).size;
    const result = await finalizeInPlace(file);
    expect(result).not.toBeNull();
    expect(result!.durationMs).toBeGreaterThan(9_500);
    expect(result!.durationMs).toBeLessThan(10_500);
    // Only Cues were appended: a few bytes per cluster, not a copy.
    expect(statSync(file).size - before).toBeLessThan(2_000);
    expect(Number(ffprobe(file, 'format=duration'))).toBeCloseTo(result!.durationMs / 1000, 1);
    expect(decodeErrors(file)).toBe('');
    // ffmpeg finds the cues through the seek head: it reports them when asked to list the index.
    const keyframeAt3 = execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-read_intervals',
        '3%+#1',
        '-select_streams',
        'v',
        '-show_entries',
        'frame=pts_time',
        '-of',
        'csv=p=0',
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(Number(keyframeAt3.trim().split('\n')[0])).toBeGreaterThan(1);
  });

  it('cuts a half-written last block (crash) and keeps everything before it', async () => {
    const whole = recorded(6);
    const file = join(dir, 'b.webm');
    writeFileSync(file, whole.subarray(0, whole.length - 1_234));
    const result = await finalizeInPlace(file);
    expect(result!.durationMs).toBeGreaterThan(4_500);
    expect(decodeErrors(file)).toBe('');
    expect(ffprobe(file, 'stream=codec_type').split('\n').sort()).toEqual(['audio', 'video']);
  });

  it('can run again after being interrupted (recovery after a crash during finalization)', async () => {
    const file = join(dir, 'c.webm');
    writeFileSync(file, recorded(4));
    const first = await finalizeInPlace(file);
    // The head is now a SeekHead, not our Void: a second pass declines and the caller remuxes instead.
    expect(first).not.toBeNull();
    expect(await finalizeInPlace(file)).toBeNull();
    expect(decodeErrors(file)).toBe('');
  });

  it('declines a file without a reserved head, so that the remux handles it', async () => {
    const file = join(dir, 'd.webm');
    writeFileSync(file, concat(chunks.slice(0, 3)));
    expect(await finalizeInPlace(file)).toBeNull();
  });

  it('a scan kept up while recording, at any byte boundaries, finalizes to the same bytes as a scan at the end', async () => {
    const whole = recorded(10);
    const atEnd = join(dir, 'at-end.webm');
    writeFileSync(atEnd, whole);
    await finalizeInPlace(atEnd);
    // Bytes arrive in pieces that cut elements anywhere, as the chunks of a recorder do; the scan follows.
    for (const piece of [997, 4_096, 65_537]) {
      const file = join(dir, `kept-up-${piece}.webm`);
      writeFileSync(file, '');
      const reader = await open(file, 'r');
      let scan: ClusterScan | null = null;
      for (let at = 0; at < whole.length; at += piece) {
        appendFileSync(file, whole.subarray(at, at + piece));
        const size = Math.min(at + piece, whole.length);
        scan ??= await ClusterScan.begin(reader, size);
        await scan?.advance(reader, size);
      }
      await reader.close();
      expect(scan).not.toBeNull();
      // What is left to read at "Terminer": at most the last piece.
      expect(whole.length - scan!.scanned).toBeLessThanOrEqual(piece + 64 * 1024);
      expect(await finalizeInPlace(file, scan!)).not.toBeNull();
      expect(readFileSync(file).equals(readFileSync(atEnd))).toBe(true);
    }
  });

  it('a kept-up scan of a file cut by a crash finalizes like a fresh scan of what is left', async () => {
    const whole = recorded(6);
    const fresh = join(dir, 'fresh.webm');
    const kept = join(dir, 'kept.webm');
    const cut = whole.subarray(0, whole.length - 1_234);
    writeFileSync(fresh, cut);
    writeFileSync(kept, cut);
    await finalizeInPlace(fresh);
    const reader = await open(kept, 'r');
    const scan = await ClusterScan.begin(reader, cut.length);
    await scan!.advance(reader, 50_000);
    await reader.close();
    expect(await finalizeInPlace(kept, scan!)).not.toBeNull();
    expect(readFileSync(kept).equals(readFileSync(fresh))).toBe(true);
    expect(decodeErrors(kept)).toBe('');
  });
});
