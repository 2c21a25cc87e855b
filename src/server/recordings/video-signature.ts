/**
 * What a file is by its first bytes, not by what the client declared: WebM/Matroska starts with the EBML
 * magic, MP4 and QuickTime with a box whose type is `ftyp` (older QuickTime files with `moov`, `mdat`, `wide`
 * or `free`). Twelve bytes are enough to tell.
 */
export const SIGNATURE_BYTES = 12;

export type VideoContainer = 'webm' | 'mp4' | 'quicktime';

const EBML = [0x1a, 0x45, 0xdf, 0xa3];
const QUICKTIME_BOXES = ['moov', 'mdat', 'wide', 'free'];

export function videoContainerOf(head: Uint8Array): VideoContainer | null {
  if (head.length >= 4 && EBML.every((byte, i) => head[i] === byte)) return 'webm';
  if (head.length < 12) return null;
  const box = String.fromCharCode(head[4]!, head[5]!, head[6]!, head[7]!);
  if (box === 'ftyp') {
    const brand = String.fromCharCode(head[8]!, head[9]!, head[10]!, head[11]!);
    return brand === 'qt  ' ? 'quicktime' : 'mp4';
  }
  return QUICKTIME_BOXES.includes(box) ? 'quicktime' : null;
}

export const MIME_BY_CONTAINER: Record<VideoContainer, string> = {
  webm: 'video/webm',
  mp4: 'video/mp4',
  quicktime: 'video/quicktime',
};

export const EXTENSION_BY_CONTAINER: Record<VideoContainer, string> = {
  webm: 'webm',
  mp4: 'mp4',
  quicktime: 'mov',
};
