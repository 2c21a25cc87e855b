import type { FileHandle } from 'node:fs/promises';
import { ID, LEVEL_1, readId, readSize, readUInt } from './ebml';
import { RESERVED_HEAD_BYTES } from './reserve-header';

const WINDOW = 4 * 1024 * 1024;

/** Reads a file forward through a 4 MiB window: element headers are parsed, payloads merely skipped over. */
export class Scanner {
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

export type Cue = { time: number; track: number; clusterPosition: number };
/** A cluster written with an "unknown" size (streaming); `end` is where its last complete child ends. */
export type UnsizedCluster = { at: number; dataStart: number; end: number | null };

/** The cluster the scan is inside of: the next read is one of its children. */
type OpenCluster = {
  at: number;
  /** Where its data stops: null while its size is unknown (it lasts until a level-1 element). */
  dataEnd: number | null;
  time: number;
  cued: boolean;
  unsized: UnsizedCluster | null;
};

/**
 * What finalization needs to know of a recording's WebM — where the Info and Tracks are, one cue per cluster
 * (its first video keyframe), each track's last frame times, the clusters of unknown size, and where the last
 * complete element ends — gathered by one forward scan that can stop at any byte and go on later.
 *
 * Why resumable: the recording service feeds it the bytes that became durable while the live runs (a few
 * hundred KB a second), so that "Terminer" only scans the last second instead of the whole hour. Nothing
 * is recorded for an element until it is complete, so stopping short and going on later is the same as one
 * scan of the whole file, and a file cut by a crash is scanned up to its last whole element.
 */
export class ClusterScan {
  timecodeScale = 1_000_000;
  /** The recorder's Info: where it is and the length of its header (finalization turns it into a Void). */
  info: { at: number; end: number; headerLength: number } | null = null;
  tracksAt: number | null = null;
  videoTrack: number | null = null;
  readonly cues: Cue[] = [];
  readonly lastTimes = new Map<number, { last: number; previous: number | null }>();
  readonly unsized: UnsizedCluster[] = [];
  /** End of the last complete element: the file is cut here. */
  end: number;
  /** The next element to read (top level, or a child of `cluster`). */
  private position: number;
  private cluster: OpenCluster | null = null;
  /** A Cues or an unknown-sized element other than a cluster ended the media: nothing after it counts. */
  private over = false;

  private constructor(
    readonly segmentAt: number,
    readonly segmentStart: number,
    reservedEnd: number,
  ) {
    this.end = reservedEnd;
    this.position = reservedEnd;
  }

  /**
   * A scan of the file whose head the recorder's head was rewritten into (see reserve-header.ts), positioned
   * after the reserved room; null when the file does not start that way (it is then remuxed instead).
   */
  static async begin(handle: FileHandle, size: number): Promise<ClusterScan | null> {
    const scanner = new Scanner(handle, size);
    const ebml = await scanner.header(0);
    if (ebml?.id !== ID.EBML || ebml.size === null) return null;
    const segmentAt = ebml.dataStart + ebml.size;
    const segment = await scanner.header(segmentAt);
    if (segment?.id !== ID.Segment || segment.dataStart - segmentAt !== 12) return null;
    const reserved = await scanner.header(segment.dataStart);
    if (reserved?.id !== ID.Void || reserved.size === null) return null;
    const reservedEnd = reserved.dataStart + reserved.size;
    if (reservedEnd - segment.dataStart !== RESERVED_HEAD_BYTES) return null;
    return new ClusterScan(segmentAt, segment.dataStart, reservedEnd);
  }

  /** How far the file has been read: a later `advance` must see at least this many bytes. */
  get scanned(): number {
    return this.position;
  }

  /** Scans the bytes up to `size` (the file's first `size` bytes must be written and never change). */
  async advance(handle: FileHandle, size: number): Promise<void> {
    const scanner = new Scanner(handle, size);
    while (!this.over && this.position < size) {
      if (this.cluster) {
        if (!(await this.readClusterChild(scanner, this.cluster))) return;
        continue;
      }
      const header = await scanner.header(this.position);
      if (!header) return;
      if (header.id === ID.Cluster) {
        const unsized: UnsizedCluster | null =
          header.size === null ? { at: this.position, dataStart: header.dataStart, end: null } : null;
        if (unsized) this.unsized.push(unsized);
        this.cluster = {
          at: this.position,
          dataEnd: header.size === null ? null : header.dataStart + header.size,
          time: 0,
          cued: false,
          unsized,
        };
        this.position = header.dataStart;
        this.end = Math.max(this.end, this.position);
        continue;
      }
      // A Cues left by an interrupted earlier finalization marks the end of the media: ours replaces it.
      if (header.id === ID.Cues || header.size === null) {
        this.over = true;
        return;
      }
      const elementEnd = header.dataStart + header.size;
      if (elementEnd > size) return;
      if (header.id === ID.Info) {
        this.info = { at: this.position, end: elementEnd, headerLength: header.dataStart - this.position };
        this.timecodeScale =
          (await readTimecodeScale(scanner, header.dataStart, elementEnd)) ?? this.timecodeScale;
      } else if (header.id === ID.Tracks) {
        this.tracksAt = this.position;
        this.videoTrack = await readVideoTrack(scanner, header.dataStart, elementEnd);
      }
      this.position = elementEnd;
      this.end = elementEnd;
    }
  }

  /**
   * The last scan of a file that will not grow any more: the open cluster ends at its last complete child.
   * The result: whether the scan found what finalization needs (an Info, the Tracks, a keyframe).
   */
  async finish(handle: FileHandle, size: number): Promise<boolean> {
    await this.advance(handle, size);
    for (const cluster of this.unsized) cluster.end ??= this.end;
    return this.info !== null && this.tracksAt !== null && this.cues.length > 0;
  }

  /** The last frame's time plus one frame, on whichever track ends last, in timecode ticks. */
  durationTicks(): number {
    let ticks = 0;
    for (const { last, previous } of this.lastTimes.values()) {
      ticks = Math.max(ticks, last + (previous === null ? 0 : last - previous));
    }
    return ticks;
  }

  /** Reads the next child of the open cluster; false when it is not complete yet (or the media ends here). */
  private async readClusterChild(scanner: Scanner, cluster: OpenCluster): Promise<boolean> {
    if (cluster.dataEnd !== null && this.position >= cluster.dataEnd) {
      this.closeCluster(cluster);
      return true;
    }
    const inner = await scanner.header(this.position);
    if (!inner) {
      // A known-size cluster cut short (a crash of an earlier finalization): nothing after it is media.
      if (cluster.dataEnd !== null && cluster.dataEnd <= scanner.size) this.over = true;
      return false;
    }
    if (LEVEL_1.has(inner.id)) {
      if (cluster.dataEnd !== null) {
        this.over = true;
        return false;
      }
      this.closeCluster(cluster);
      return true;
    }
    if (inner.size === null) {
      this.over = true;
      return false;
    }
    const childEnd = inner.dataStart + inner.size;
    if (childEnd > scanner.size) return false;
    if (inner.id === ID.Timecode) {
      const bytes = await scanner.view(inner.dataStart, inner.size);
      if (!bytes) return false;
      cluster.time = readUInt(bytes, 0, inner.size);
    } else if (inner.id === ID.SimpleBlock || inner.id === ID.BlockGroup) {
      const block = await readBlock(scanner, inner.id, inner.dataStart, childEnd);
      if (!block) {
        this.over = true;
        return false;
      }
      const time = cluster.time + block.relativeTime;
      const seen = this.lastTimes.get(block.track);
      this.lastTimes.set(block.track, { last: time, previous: seen?.last ?? null });
      const cueTrack = this.videoTrack ?? block.track;
      if (!cluster.cued && block.keyframe && block.track === cueTrack) {
        this.cues.push({ time, track: block.track, clusterPosition: cluster.at - this.segmentStart });
        cluster.cued = true;
      }
    }
    this.position = childEnd;
    this.end = childEnd;
    if (cluster.unsized) cluster.unsized.end = childEnd;
    return true;
  }

  private closeCluster(cluster: OpenCluster): void {
    if (cluster.unsized) cluster.unsized.end = this.position;
    this.cluster = null;
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
