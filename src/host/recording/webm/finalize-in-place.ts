import { type FileHandle, open } from 'node:fs/promises';
import { ClusterScan } from './cluster-scan';
import {
  concat,
  element,
  encodeId,
  encodeSize,
  floatElement,
  ID,
  stringElement,
  uintElement,
  voidElement,
} from './ebml';
import { RESERVED_HEAD_BYTES } from './reserve-header';

/**
 * Finalizes a recording whose head was reserved (see reserve-header.ts) without copying it: the scan finds the
 * clusters, the keyframes and the last complete block; the file is cut after that block (a crash may have left
 * half of one), Cues are appended, a SeekHead and an Info with Duration are written into the reserved Void, the
 * old Info becomes a Void, and the Segment gets its real size. O(clusters) writing and memory.
 *
 * `scan`, when given, is the recording's scan kept up while it ran (the recording service feeds it): only the
 * bytes after it are read, so stopping an hour-long live reads about a second of it. Without it, the whole file
 * is scanned (recovery after a crash). Returns null when the file has no reserved head: the caller remuxes.
 */
export async function finalizeInPlace(
  file: string,
  scan?: ClusterScan,
): Promise<{ durationMs: number; bytes: number } | null> {
  const handle = await open(file, 'r+');
  try {
    const size = (await handle.stat()).size;
    const usable = scan && scan.scanned <= size ? scan : await ClusterScan.begin(handle, size);
    if (!usable || !(await usable.finish(handle, size))) return null;
    return await writeFinal(handle, usable);
  } finally {
    await handle.close();
  }
}

/** Writes what the scan found; null (nothing written) when the head cannot hold it. */
async function writeFinal(
  handle: FileHandle,
  scan: ClusterScan,
): Promise<{ durationMs: number; bytes: number } | null> {
  const { end, segmentAt, segmentStart, cues, tracksAt, info, unsized, timecodeScale } = scan;
  if (!info || tracksAt === null) return null;
  const durationTicks = scan.durationTicks();
  const cuesBytes = element(
    ID.Cues,
    ...cues.map((cue) =>
      element(
        ID.CuePoint,
        uintElement(ID.CueTime, cue.time),
        element(
          ID.CueTrackPositions,
          uintElement(ID.CueTrack, cue.track),
          uintElement(ID.CueClusterPosition, cue.clusterPosition),
        ),
      ),
    ),
  );
  const fileEnd = end + cuesBytes.length;

  // SeekHead + Info (with Duration) for the reserved Void, padded with a Void to its exact size.
  const seek = (id: number, at: number) =>
    element(ID.Seek, element(ID.SeekID, encodeId(id)), uintElement(ID.SeekPosition, at - segmentStart, 8));
  const infoBytes = element(
    ID.Info,
    uintElement(ID.TimecodeScale, timecodeScale),
    stringElement(ID.MuxingApp, 'Chrome'),
    stringElement(ID.WritingApp, 'CommuniConnect Studio'),
    floatElement(ID.Duration, durationTicks),
  );
  // The SeekHead's own length does not depend on the positions (fixed 8-byte positions).
  const seekHeadLength = element(ID.SeekHead, seek(ID.Info, 0), seek(ID.Tracks, 0), seek(ID.Cues, 0)).length;
  const seekHead = element(
    ID.SeekHead,
    seek(ID.Info, segmentStart + seekHeadLength),
    seek(ID.Tracks, tracksAt),
    seek(ID.Cues, end),
  );
  const padding = RESERVED_HEAD_BYTES - seekHead.length - infoBytes.length;
  if (padding < 0 || padding === 1) return null;
  const head = concat(padding ? [seekHead, infoBytes, voidElement(padding)] : [seekHead, infoBytes]);
  // The recorder's own Info (no Duration) becomes a Void of the same length: one Info remains.
  if (info.headerLength < 2) return null;
  const voidHeader = concat([
    Uint8Array.of(ID.Void),
    encodeSize(info.end - info.at - info.headerLength, info.headerLength - 1),
  ]);

  // 1. Cut what a crash left half-written, and append the Cues: still a valid file at every step.
  await handle.truncate(end);
  await handle.write(cuesBytes, 0, cuesBytes.length, end);
  // 2. The head, then 3. the old Info voided.
  await handle.write(head, 0, head.length, segmentStart);
  await handle.write(voidHeader, 0, voidHeader.length, info.at);

  // 4. Real sizes for the clusters and the Segment, where the recorder wrote "unknown": a finite Segment
  // may not hold unknown-sized clusters (ffmpeg says so), so either every size is written or none is.
  // Chromium writes these sizes on 8 bytes, so they fit; a muxer that used 1 byte keeps them unknown,
  // which players accept as a live-style file (Duration and Cues work either way).
  if (unsized.every((cluster) => cluster.dataStart - cluster.at === 12)) {
    for (const cluster of unsized) {
      const size = encodeSize((cluster.end ?? end) - cluster.dataStart, 8);
      await handle.write(size, 0, 8, cluster.at + 4);
    }
    const sizeBytes = encodeSize(fileEnd - segmentStart, 8);
    await handle.write(sizeBytes, 0, 8, segmentAt + 4);
  }
  await handle.sync();
  return { durationMs: Math.round((durationTicks * timecodeScale) / 1e6), bytes: fileEnd };
}
