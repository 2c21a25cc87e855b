import { open } from 'node:fs/promises';
import type { RecordingPatch } from '../../shared/recording-upload';
import { ID, readId, readSize } from '../recording/webm/ebml';

/**
 * The places where finalizing a recording (recording/webm/finalize-in-place.ts) may have changed bytes that
 * were already uploaded while it recorded: the head up to the first Cluster (SeekHead, Info with Duration, the
 * Segment's size), the 8-byte size of every Cluster, and the Cues appended at the end (they may overwrite a
 * half-written tail the server already holds). Read from the finalized file alone, so a crash between
 * finalizing and uploading loses nothing. Patches equal to what the server holds are harmless; a file finalized
 * any other way (a full remux) fails the server's SHA-256 check, and the upload starts again from zero.
 */
export async function finalizedPatches(file: string): Promise<RecordingPatch[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const read = async (at: number, length: number) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - at)));
      await handle.read(buffer, 0, buffer.length, at);
      return buffer;
    };
    const header = async (at: number) => {
      const bytes = await read(at, 12);
      const id = readId(bytes, 0);
      const length = id && readSize(bytes, id.length);
      if (!id || !length) return null;
      return {
        id: id.value,
        headerLength: id.length + length.length,
        size: length.unknown ? null : length.value,
      };
    };
    const patch = async (at: number, length: number): Promise<RecordingPatch> => ({
      at,
      data: (await read(at, length)).toString('base64'),
    });

    const ebml = await header(0);
    if (ebml?.id !== ID.EBML || ebml.size === null) return [];
    const segmentAt = ebml.headerLength + ebml.size;
    const segment = await header(segmentAt);
    if (segment?.id !== ID.Segment) return [];
    const patches: RecordingPatch[] = [];
    let position = segmentAt + segment.headerLength;
    let headEnd: number | null = null;
    while (position < size) {
      const element = await header(position);
      if (!element || element.size === null) break;
      if (element.id === ID.Cluster) {
        headEnd ??= position;
        patches.push(await patch(position + 4, element.headerLength - 4));
      } else if (element.id === ID.Cues) {
        patches.push(await patch(position, size - position));
        break;
      }
      position += element.headerLength + element.size;
    }
    patches.unshift(await patch(0, headEnd ?? Math.min(size, 64 * 1024)));
    return patches;
  } finally {
    await handle.close();
  }
}
