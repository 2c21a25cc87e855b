import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { RecordingPatch } from '../db/schema/recordings';

/** At most this many patch bytes per recording: a head and 8 bytes per cluster are a few tens of KiB an hour. */
export const MAX_PATCH_BYTES = 1024 * 1024;

export type DecodedPatch = { at: number; bytes: Buffer };

export function decodePatches(patches: readonly RecordingPatch[]): DecodedPatch[] {
  return patches
    .map((patch) => ({ at: patch.at, bytes: Buffer.from(patch.data, 'base64') }))
    .sort((a, b) => a.at - b.at);
}

/** Lays every patch that overlaps `chunk` (which holds the file's bytes from `chunkStart`) over it, in place. */
export function overlay(chunk: Buffer, chunkStart: number, patches: readonly DecodedPatch[]): Buffer {
  const chunkEnd = chunkStart + chunk.length;
  for (const { at, bytes } of patches) {
    if (at >= chunkEnd) break;
    const end = at + bytes.length;
    if (end <= chunkStart) continue;
    const from = Math.max(at, chunkStart);
    const to = Math.min(end, chunkEnd);
    bytes.copy(chunk, from - chunkStart, from - at, to - at);
  }
  return chunk;
}

/**
 * The bytes [start, end] (inclusive) of a stored upload as the finalized recording has them: the file's bytes
 * with the patches laid over, streamed (a window of 64 KiB at a time, whatever the file's size).
 */
export async function* readPatched(
  path: string,
  patches: readonly DecodedPatch[],
  start = 0,
  end?: number,
): AsyncGenerator<Buffer> {
  let position = start;
  for await (const chunk of createReadStream(path, { start, end })) {
    const buffer = chunk as Buffer;
    yield patches.length ? overlay(buffer, position, patches) : buffer;
    position += buffer.length;
  }
}

export async function sha256Patched(path: string, patches: readonly DecodedPatch[]): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of readPatched(path, patches)) hash.update(chunk);
  return hash.digest('hex');
}
