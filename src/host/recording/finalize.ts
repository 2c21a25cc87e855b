import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClusterScan } from './webm/cluster-scan';
import { finalizeInPlace } from './webm/finalize-in-place';

export type FinalizeResult = { durationMs: number; bytes: number; method: string };

/**
 * Makes a recorder's append-only WebM seekable: Chromium's MediaRecorder writes no duration and no cues (it
 * cannot: it streams). mediabunny remuxes the packets as they are — no decoding, no re-encoding (Node has no
 * WebCodecs, so a transcode could not even happen silently) — into a WebM with Duration, Cues and a SeekHead.
 * Both sides stream through small windows of the files (FilePathSource's cache, FilePathTarget's chunks), so an
 * hour of video is never held in memory. A `.part` cut short by a crash (a half-written last block) is read up
 * to its last whole packet, which is what recovery needs.
 *
 * The output goes to `<final>.tmp`, is synced, then renamed over `final`: a crash during finalization leaves the
 * `.part` untouched and recovery simply runs again.
 */
export async function finalizeRecording(
  partFile: string,
  finalFile: string,
  onProgress?: (fraction: number) => void,
  /** The recording's scan, kept up while it ran: only what it has not read yet is read now. */
  scan?: ClusterScan,
): Promise<FinalizeResult> {
  // Fast path: the head was reserved while recording, so only the head and the tail are written.
  const inPlace = await finalizeInPlace(partFile, scan).catch(() => null);
  if (inPlace) {
    onProgress?.(1);
    await rename(partFile, finalFile);
    await syncDirectory(dirname(finalFile));
    return { ...inPlace, method: 'in place (Cues appended, head rewritten)' };
  }
  const temporary = `${finalFile}.tmp`;
  // mediabunny (2 MB of modules) is loaded on first use: most stops finalize in place, and start-up stays quick.
  const { ALL_FORMATS, Conversion, FilePathSource, FilePathTarget, Input, Output, WebMOutputFormat } =
    await import('mediabunny');
  const input = new Input({ source: new FilePathSource(partFile), formats: ALL_FORMATS });
  try {
    const output = new Output({ format: new WebMOutputFormat(), target: new FilePathTarget(temporary) });
    const conversion = await Conversion.init({ input, output, showWarnings: false });
    if (!conversion.isValid || conversion.utilizedTracks.length === 0) {
      await output.cancel().catch(() => {});
      const reasons = conversion.discardedTracks.map((track) => track.reason).join(', ');
      throw new Error(`nothing playable in the recording${reasons ? ` (${reasons})` : ''}`);
    }
    if (onProgress) conversion.onProgress = (fraction) => onProgress(fraction);
    await conversion.execute();
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    input.dispose();
  }
  const durationMs = await readDurationMs(temporary);
  const bytes = await syncFile(temporary);
  await rename(temporary, finalFile);
  await syncDirectory(dirname(finalFile));
  await rm(partFile, { force: true });
  return { durationMs, bytes, method: 'remux with mediabunny' };
}

/** The duration a player will show: from the container (cues and Duration make this cheap). */
export async function readDurationMs(file: string): Promise<number> {
  const { ALL_FORMATS, FilePathSource, Input } = await import('mediabunny');
  const input = new Input({ source: new FilePathSource(file), formats: ALL_FORMATS });
  try {
    return Math.round((await input.computeDuration()) * 1000);
  } finally {
    input.dispose();
  }
}

async function syncFile(file: string): Promise<number> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** A rename is durable only once the directory entry is; not every platform lets a directory be opened. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows: directories cannot be fsynced; NTFS journals the rename itself.
  }
}
