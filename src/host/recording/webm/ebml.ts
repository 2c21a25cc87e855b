/** Minimal EBML (Matroska/WebM) reading and writing: element IDs, sizes and the few value types we write. */

export const ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  ReferenceBlock: 0xfb,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
  Tags: 0x1254c367,
  Chapters: 0x1043a770,
  Attachments: 0x1941a469,
  Void: 0xec,
} as const;

/** Elements that can only be direct children of the Segment: meeting one ends an unknown-size Cluster. */
export const LEVEL_1 = new Set<number>([
  ID.SeekHead,
  ID.Info,
  ID.Tracks,
  ID.Cluster,
  ID.Cues,
  ID.Tags,
  ID.Chapters,
  ID.Attachments,
]);

export type Vint = { value: number; length: number; unknown: boolean };

/** Reads an element ID (marker bits kept) at `offset`; null if the bytes there cannot start one. */
export function readId(bytes: Uint8Array, offset: number): Vint | null {
  const first = bytes[offset];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 4 || offset + length > bytes.length) return null;
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + bytes[offset + i]!;
  return { value, length, unknown: false };
}

/** Reads an element size at `offset`; `unknown` when all its value bits are 1 (a live stream's size). */
export function readSize(bytes: Uint8Array, offset: number): Vint | null {
  const first = bytes[offset];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.length) return null;
  const mask = 0xff >> length;
  let value = first & mask;
  let allOnes = value === mask;
  for (let i = 1; i < length; i++) {
    const byte = bytes[offset + i]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, length, unknown: allOnes };
}

export function readUInt(bytes: Uint8Array, offset: number, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + bytes[offset + i]!;
  return value;
}

export function encodeId(id: number): Uint8Array {
  const length = id > 0xffffff ? 4 : id > 0xffff ? 3 : id > 0xff ? 2 : 1;
  return uintBytes(id, length);
}

/** A size as a vint of `length` bytes (default: the shortest that holds it). */
export function encodeSize(size: number, length?: number): Uint8Array {
  let n = length ?? 1;
  if (length === undefined) while (size >= 2 ** (7 * n) - 1) n++;
  const bytes = uintBytes(size, n);
  bytes[0]! |= 0x80 >> (n - 1);
  return bytes;
}

export function uintBytes(value: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return bytes;
}

export function element(id: number, ...payload: Uint8Array[]): Uint8Array {
  const body = concat(payload);
  return concat([encodeId(id), encodeSize(body.length), body]);
}

export function uintElement(id: number, value: number, length?: number): Uint8Array {
  let n = length ?? 1;
  if (length === undefined) while (value >= 2 ** (8 * n)) n++;
  return element(id, uintBytes(value, n));
}

export function floatElement(id: number, value: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setFloat64(0, value);
  return element(id, body);
}

export function stringElement(id: number, value: string): Uint8Array {
  return element(id, new TextEncoder().encode(value));
}

/** A Void element of exactly `total` bytes (≥ 2), which players skip. */
export function voidElement(total: number): Uint8Array {
  if (total < 2) throw new Error('a Void element needs at least 2 bytes');
  const sizeLength = total - 1 - 1 < 127 ? 1 : 8;
  const bytes = new Uint8Array(total);
  bytes[0] = ID.Void;
  bytes.set(encodeSize(total - 1 - sizeLength, sizeLength), 1);
  return bytes;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
