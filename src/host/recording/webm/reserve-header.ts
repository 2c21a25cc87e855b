import { concat, ID, readId, readSize, voidElement } from './ebml';

/** Room kept at the head of a recording for what finalization writes there: a SeekHead and an Info with Duration. */
export const RESERVED_HEAD_BYTES = 256;
const UNKNOWN_SIZE_8 = Uint8Array.of(0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/**
 * Rewrites the recorder's first chunk so that a Void element of RESERVED_HEAD_BYTES sits at the start of the
 * Segment. Players skip it, so the `.part` stays a valid WebM while recording; on stop, finalization writes the
 * SeekHead and the Info with Duration into it and appends the Cues at the end — the hour of clusters in
 * between is never rewritten. Returns null when the chunk does not start with an EBML header and a Segment
 * (the file is then finalized by a full remux instead).
 */
export function reserveHeaderSpace(firstChunk: Uint8Array): Uint8Array | null {
  const ebml = readId(firstChunk, 0);
  if (ebml?.value !== ID.EBML) return null;
  const ebmlSize = readSize(firstChunk, ebml.length);
  if (!ebmlSize || ebmlSize.unknown) return null;
  const segmentAt = ebml.length + ebmlSize.length + ebmlSize.value;
  const segment = readId(firstChunk, segmentAt);
  if (segment?.value !== ID.Segment) return null;
  const segmentSize = readSize(firstChunk, segmentAt + segment.length);
  if (!segmentSize?.unknown) return null;
  const dataStart = segmentAt + segment.length + segmentSize.length;
  return concat([
    firstChunk.subarray(0, segmentAt + segment.length),
    // Finalization writes the real size in place: "unknown" is re-encoded on 8 bytes (Chromium already does;
    // other muxers use 1) so that any size fits there.
    UNKNOWN_SIZE_8,
    voidElement(RESERVED_HEAD_BYTES),
    firstChunk.subarray(dataStart),
  ]);
}

const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];

/**
 * The ChunkWriter's `head.prepare` for recordings: the reserved head once the recorder's bytes so far hold the
 * EBML header and the Segment's start; null (wait for more) while they may still; the bytes unchanged when they
 * are not WebM (an MP4 is remuxed at the end instead).
 */
export function prepareRecordingHead(prefix: Uint8Array): Uint8Array | null {
  const magic = EBML_MAGIC.slice(0, Math.min(prefix.length, EBML_MAGIC.length));
  if (!magic.every((byte, i) => prefix[i] === byte)) return prefix;
  return reserveHeaderSpace(prefix);
}
