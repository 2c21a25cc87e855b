import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkWriter } from './chunk-writer';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-writer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Chunk `n` is n+1 bytes of value n, so the file's bytes say exactly which chunks landed in which order. */
const chunk = (n: number) => new Uint8Array(n + 1).fill(n);
const expected = (seqs: number[]) => Buffer.concat(seqs.map((n) => chunk(n)));

describe('ChunkWriter', () => {
  it('appends in-order chunks and reports progress after each write', async () => {
    const file = join(dir, 'a.webm.part');
    const seen: number[] = [];
    const writer = await ChunkWriter.open(file, { onProgress: (p) => seen.push(p.bytes) });
    for (const n of [0, 1, 2]) expect(await writer.accept(n, chunk(n))).toBe('written');
    const progress = await writer.close(2);
    expect(progress).toEqual({ bytes: 6, nextSeq: 3 });
    expect(seen).toEqual([1, 3, 6]);
    expect(readFileSync(file)).toEqual(expected([0, 1, 2]));
  });

  it('holds an early chunk until the missing one arrives, then writes both in order', async () => {
    const file = join(dir, 'b.webm.part');
    const writer = await ChunkWriter.open(file);
    expect(await writer.accept(0, chunk(0))).toBe('written');
    expect(await writer.accept(2, chunk(2))).toBe('buffered');
    expect(writer.bufferedCount).toBe(1);
    expect(readFileSync(file)).toEqual(expected([0]));
    expect(await writer.accept(1, chunk(1))).toBe('written');
    expect(writer.bufferedCount).toBe(0);
    await writer.close(2);
    expect(readFileSync(file)).toEqual(expected([0, 1, 2]));
  });

  it('ignores duplicates, whether already written or still waiting', async () => {
    const file = join(dir, 'c.webm.part');
    const writer = await ChunkWriter.open(file);
    await writer.accept(0, chunk(0));
    expect(await writer.accept(0, chunk(0))).toBe('duplicate');
    await writer.accept(2, chunk(2));
    expect(await writer.accept(2, chunk(2))).toBe('duplicate');
    await writer.accept(1, chunk(1));
    await writer.close(2);
    expect(readFileSync(file)).toEqual(expected([0, 1, 2]));
  });

  it('declares a gap when too many chunks wait for a missing one, and keeps recording', async () => {
    const file = join(dir, 'd.webm.part');
    const gaps: Array<{ from: number; to: number }> = [];
    const writer = await ChunkWriter.open(file, { maxBuffered: 2, onGap: (g) => gaps.push(g) });
    await writer.accept(0, chunk(0));
    await writer.accept(3, chunk(3));
    await writer.accept(4, chunk(4));
    expect(gaps).toEqual([]);
    await writer.accept(5, chunk(5)); // a third one waiting: chunks 1–2 are given up
    expect(gaps).toEqual([{ from: 1, to: 2 }]);
    expect(await writer.accept(1, chunk(1))).toBe('duplicate'); // too late: never written out of place
    await writer.accept(6, chunk(6));
    await writer.close(6);
    expect(readFileSync(file)).toEqual(expected([0, 3, 4, 5, 6]));
  });

  it('declares a gap when a missing chunk does not come in time', async () => {
    const file = join(dir, 'e.webm.part');
    const gaps: Array<{ from: number; to: number }> = [];
    const writer = await ChunkWriter.open(file, { maxWaitMs: 100, onGap: (g) => gaps.push(g) });
    await writer.accept(0, chunk(0));
    await writer.accept(2, chunk(2));
    await new Promise((done) => setTimeout(done, 300));
    expect(gaps).toEqual([{ from: 1, to: 1 }]);
    expect(writer.progress.nextSeq).toBe(3);
    await writer.close();
    expect(readFileSync(file)).toEqual(expected([0, 2]));
  });

  it('on close, records chunks that never came up to the last one as a gap', async () => {
    const file = join(dir, 'f.webm.part');
    const gaps: Array<{ from: number; to: number }> = [];
    const writer = await ChunkWriter.open(file, { maxWaitMs: 50, onGap: (g) => gaps.push(g) });
    await writer.accept(0, chunk(0));
    await writer.close(3);
    expect(gaps).toEqual([{ from: 1, to: 3 }]);
  });

  it('reopens a file after a crash and continues after the bytes already there', async () => {
    const file = join(dir, 'g.webm.part');
    writeFileSync(file, expected([0, 1]));
    const writer = await ChunkWriter.open(file, { nextSeq: 2 });
    expect(writer.progress).toEqual({ bytes: 3, nextSeq: 2 });
    expect(await writer.accept(1, chunk(1))).toBe('duplicate');
    await writer.accept(2, chunk(2));
    await writer.close(2);
    expect(readFileSync(file)).toEqual(expected([0, 1, 2]));
  });

  it('rejects a bad sequence number and anything after close', async () => {
    const writer = await ChunkWriter.open(join(dir, 'h.webm.part'));
    await expect(writer.accept(-1, chunk(0))).rejects.toThrow(/sequence/);
    await expect(writer.accept(1.5, chunk(0))).rejects.toThrow(/sequence/);
    await writer.close();
    await expect(writer.accept(0, chunk(0))).rejects.toThrow(/closed/);
  });

  it('writes any delivery order with duplicates as the in-order file (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 12 })
          .chain((count) =>
            fc.tuple(
              fc.constant(count),
              fc.shuffledSubarray([...Array(count).keys()], { minLength: count, maxLength: count }),
              fc.array(fc.integer({ min: 0, max: count - 1 }), { maxLength: 6 }),
            ),
          ),
        async ([count, order, repeats]) => {
          const file = join(dir, `p-${Math.random()}.part`);
          // Enough room and time that nothing counts as a gap: every chunk arrives eventually.
          const writer = await ChunkWriter.open(file, { maxBuffered: 64, maxWaitMs: 10_000 });
          const deliveries = [...order];
          for (const r of repeats) deliveries.splice(r % (deliveries.length + 1), 0, r);
          await Promise.all(deliveries.map((n) => writer.accept(n, chunk(n))));
          await writer.close(count - 1);
          expect(readFileSync(file)).toEqual(expected([...Array(count).keys()]));
        },
      ),
      { numRuns: 40 },
    );
  });
});
