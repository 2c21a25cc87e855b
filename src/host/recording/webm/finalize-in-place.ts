import { type FileHandle, open } from 'node:fs/promises';
import {
  concat,
  element,
  encodeId,
  encodeSize,
  floatElement,
  ID,
  LEVEL_1,
  readId,
  readSize,
  readUInt,
  stringElement,
  uintElement,
  voidElement,
} from './ebml';
import { RESERVED_HEAD_BYTES } from './reserve-header';

const WINDOW = 4 * 1024 * 1024;

/** Reads a file forward through a 4 MiB window: element headers are parsed, payloads merely skipped over. */
class Scanner {
  private buffer = new Uint8Array(0);
  private start = 0;
  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** The bytes [position, position + length) as a view, or null past the end of the file. */
  async view(position: number, length: number): Promise<Uint8Array | null> {
    if (position + length > this.size) return null;
    if (position < this.start || position + length > this.start + this.buffer.length) {
      const wanted = Math.min(Math.max(length, WINDOW), this.size - position);
      const buffer = new Uint8Array(wanted);
      const { bytesRead } = await this.handle.read(buffer, 0, wanted, position);
      this.buffer = buffer.subarray(0, bytesRead);
      this.start = position;
      if (bytesRead < length) return null;
    }
    return this.buffer.subarray(position - this.start, position - this.start + length);
  }

  /** An element header at `position`: its ID, where its data starts, its size (null: unknown), or null. */
  async header(position: number) {
    const bytes = await this.view(position, Math.min(12, this.size - position));
    if (!bytes) return null;
    const id = readId(bytes, 0);
    if (!id) return null;
    const size = readSize(bytes, id.length);
    if (!size) return null;
    return {
      id: id.value,
      dataStart: position + id.length + size.length,
      size: size.unknown ? null : size.value,
    };
  }
}

type Cue = { time: number; track: number; clusterPosition: number };
/** A cluster written with an "unknown" size (streaming); `end` is where its last complete child ends. */
type UnsizedCluster = { at: number; dataStart: number; end: number | null };

/**
 * Finalizes a recording whose head was reserved (see reserve-header.ts) without copying it: one forward scan
 * finds the clusters, the keyframes and the last complete block; the file is cut after that block (a crash
 * may have left half of one), Cues are appended, a SeekHead and an Info with Duration are written into the
 * reserved Void, the old Info becomes a Void, and the Segment gets its real size. O(file) reading, O(clusters)
 * writing, O(clusters) memory. Returns null when the file has no reserved head: the caller remuxes instead.
 */
export async function finalizeInPlace(file: string): Promise<{ durationMs: number; bytes: number } | null> {
  const handle = await open(file, 'r+');
  try {
    const scanner = new Scanner(handle, (await handle.stat()).size);
    const ebml = await scanner.header(0);
    if (ebml?.id !== ID.EBML || ebml.size === null) return null;
    const segmentAt = ebml.dataStart + ebml.size;
    const segment = await scanner.header(segmentAt);
    if (segment?.id !== ID.Segment || segment.dataStart - segmentAt !== 12) return null;
    const segmentStart = segment.dataStart;
    const reserved = await scanner.header(segmentStart);
    if (reserved?.id !== ID.Void || reserved.size === null) return null;
    const reservedEnd = reserved.dataStart + reserved.size;
    if (reservedEnd - segmentStart !== RESERVED_HEAD_BYTES) return null;

    let timecodeScale = 1_000_000;
    let info: { at: number; end: number } | null = null;
    let tracksAt: number | null = null;
    let videoTrack: number | null = null;
    const cues: Cue[] = [];
    const lastTimes = new Map<number, { last: number; previous: number | null }>();
    let end = reservedEnd; // end of the last complete element: the file is cut here
    const unsized: UnsizedCluster[] = [];

    let position = reservedEnd;
    scan: while (position < scanner.size) {
      const header = await scanner.header(position);
      if (!header) break;
      if (header.id === ID.Cluster) {
        const clusterEnd = header.size === null ? scanner.size : header.dataStart + header.size;
        const cluster: UnsizedCluster | null =
          header.size === null ? { at: position, dataStart: header.dataStart, end: null } : null;
        if (cluster) unsized.push(cluster);
        let clusterTime = 0;
        let cued = false;
        let child = header.dataStart;
        end = Math.max(end, child);
        while (child < clusterEnd) {
          const inner = await scanner.header(child);
          if (!inner || LEVEL_1.has(inner.id)) break;
          if (inner.size === null || inner.dataStart + inner.size > scanner.size) break scan;
          const childEnd = inner.dataStart + inner.size;
          if (inner.id === ID.Timecode) {
            const bytes = await scanner.view(inner.dataStart, inner.size);
            if (!bytes) break scan;
            clusterTime = readUInt(bytes, 0, inner.size);
          } else if (inner.id === ID.SimpleBlock || inner.id === ID.BlockGroup) {
            const block = await readBlock(scanner, inner.id, inner.dataStart, childEnd);
            if (!block) break scan;
            const time = clusterTime + block.relativeTime;
            const seen = lastTimes.get(block.track);
            lastTimes.set(block.track, { last: time, previous: seen?.last ?? null });
            const cueTrack = videoTrack ?? block.track;
            if (!cued && block.keyframe && block.track === cueTrack) {
              cues.push({ time, track: block.track, clusterPosition: position - segmentStart });
              cued = true;
            }
          }
          child = childEnd;
          end = childEnd;
        }
        position = child;
        if (cluster) cluster.end = child;
        if (header.size !== null && child < clusterEnd) break; // a known-size cluster cut short
        continue;
      }
      // A Cues left by an interrupted earlier finalization marks the end of the media: ours replaces it.
      if (header.id === ID.Cues || header.size === null) break;
      const elementEnd = header.dataStart + header.size;
      if (elementEnd > scanner.size) break;
      if (header.id === ID.Info) {
        info = { at: position, end: elementEnd };
        timecodeScale = (await readTimecodeScale(scanner, header.dataStart, elementEnd)) ?? timecodeScale;
      } else if (header.id === ID.Tracks) {
        tracksAt = position;
        videoTrack = await readVideoTrack(scanner, header.dataStart, elementEnd);
      }
      position = elementEnd;
      end = elementEnd;
    }
    if (!info || tracksAt === null || cues.length === 0) return null;

    // Duration: the last frame's time plus one frame, on whichever track ends last.
    let durationTicks = 0;
    for (const { last, previous } of lastTimes.values()) {
      durationTicks = Math.max(durationTicks, last + (previous === null ? 0 : last - previous));
    }

    // 1. Cut what a crash left half-written, and append the Cues: still a valid file at every step.
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
    await handle.truncate(end);
    await handle.write(cuesBytes, 0, cuesBytes.length, end);
    const fileEnd = end + cuesBytes.length;

    // 2. SeekHead + Info (with Duration) into the reserved Void, padded with a Void to its exact size.
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
    const seekHeadLength = element(
      ID.SeekHead,
      seek(ID.Info, 0),
      seek(ID.Tracks, 0),
      seek(ID.Cues, 0),
    ).length;
    const seekHead = element(
      ID.SeekHead,
      seek(ID.Info, segmentStart + seekHeadLength),
      seek(ID.Tracks, tracksAt),
      seek(ID.Cues, end),
    );
    const used = seekHead.length + infoBytes.length;
    const padding = RESERVED_HEAD_BYTES - used;
    if (padding < 0 || padding === 1) return null;
    const head = concat(padding ? [seekHead, infoBytes, voidElement(padding)] : [seekHead, infoBytes]);
    await handle.write(head, 0, head.length, segmentStart);

    // 3. The recorder's own Info (no Duration) becomes a Void of the same length: one Info remains.
    const oldInfoLength = info.end - info.at;
    const oldHeader = await scanner.header(info.at);
    const headerLength = oldHeader ? oldHeader.dataStart - info.at : 0;
    if (headerLength < 2) return null;
    const voidHeader = concat([
      Uint8Array.of(ID.Void),
      encodeSize(oldInfoLength - headerLength, headerLength - 1),
    ]);
    await handle.write(voidHeader, 0, voidHeader.length, info.at);

    // 4. Real sizes for the clusters and the Segment, where the recorder wrote "unknown": a finite Segment
    // may not hold unknown-sized clusters (ffmpeg says so), so either every size is written or none is.
    // Chromium writes these sizes on 8 bytes, so they fit; a muxer that used 1 byte keeps them unknown,
    // which players accept as a live-style file (Duration and Cues work either way).
    for (const cluster of unsized) cluster.end ??= end;
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
  } finally {
    await handle.close();
  }
}

async function readBlock(scanner: Scanner, id: number, dataStart: number, blockEnd: number) {
  let at = dataStart;
  let keyframe = false;
  if (id === ID.BlockGroup) {
    // A Block inside a group is a keyframe unless the group references another frame.
    let block: number | null = null;
    let referenced = false;
    for (let child = dataStart; child < blockEnd; ) {
      const inner = await scanner.header(child);
      if (!inner || inner.size === null) return null;
      if (inner.id === ID.Block) block = inner.dataStart;
      if (inner.id === ID.ReferenceBlock) referenced = true;
      child = inner.dataStart + inner.size;
    }
    if (block === null) return null;
    at = block;
    keyframe = !referenced;
  }
  const bytes = await scanner.view(at, Math.min(12, blockEnd - at));
  if (!bytes) return null;
  const track = readSize(bytes, 0);
  if (!track || bytes.length < track.length + 3) return null;
  const relative = (bytes[track.length]! << 8) | bytes[track.length + 1]!;
  const flags = bytes[track.length + 2]!;
  if (id === ID.SimpleBlock) keyframe = (flags & 0x80) !== 0;
  return { track: track.value, relativeTime: relative >= 0x8000 ? relative - 0x10000 : relative, keyframe };
}

async function readTimecodeScale(scanner: Scanner, from: number, to: number): Promise<number | null> {
  for (let at = from; at < to; ) {
    const header = await scanner.header(at);
    if (!header || header.size === null) return null;
    if (header.id === ID.TimecodeScale) {
      const bytes = await scanner.view(header.dataStart, header.size);
      return bytes ? readUInt(bytes, 0, header.size) : null;
    }
    at = header.dataStart + header.size;
  }
  return null;
}

async function readVideoTrack(scanner: Scanner, from: number, to: number): Promise<number | null> {
  for (let at = from; at < to; ) {
    const entry = await scanner.header(at);
    if (!entry || entry.size === null) return null;
    if (entry.id === ID.TrackEntry) {
      let number: number | null = null;
      let type: number | null = null;
      for (let child = entry.dataStart; child < entry.dataStart + entry.size; ) {
        const inner = await scanner.header(child);
        if (!inner || inner.size === null) break;
        if (inner.id === ID.TrackNumber || inner.id === ID.TrackType) {
          const bytes = await scanner.view(inner.dataStart, inner.size);
          const value = bytes ? readUInt(bytes, 0, inner.size) : null;
          if (inner.id === ID.TrackNumber) number = value;
          else type = value;
        }
        child = inner.dataStart + inner.size;
      }
      if (type === 1 && number !== null) return number;
    }
    at = entry.dataStart + entry.size;
  }
  return null;
}
