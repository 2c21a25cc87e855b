import parseRange from 'range-parser';
import type { ServerRecording } from '../../shared/recording-upload';
import { toNumber } from '../db/sql';
import type { DomainEnv } from '../domain/env';
import { type RecordingRow, toRecordingInfo } from '../domain/recordings';
import { refuse } from '../domain/refusal';
import { type RecordingMedia, SIGNED_LINK_TTL_SECONDS } from '../recordings/media';
import { decodePatches, readPatched } from '../recordings/patched-bytes';
import type { RestResult } from './routes';

export function mediaOf(env: DomainEnv): RecordingMedia {
  if (!env.media) throw new Error('this server was started without a recordings store');
  return env.media;
}

export function fileUrl(url: URL, media: RecordingMedia, recordingId: string): string {
  return `${url.origin}/api/recordings/${recordingId}/file/?${media.links.query(recordingId, SIGNED_LINK_TTL_SECONDS)}`;
}

/** A recording as listed: its metadata, the bytes the server holds now, and a link that plays it. */
export async function recordingView(
  url: URL,
  media: RecordingMedia,
  row: RecordingRow,
): Promise<ServerRecording> {
  const held =
    row.state === 'complete' ? toNumber(row.size_bytes) : await media.files.sizeOf(row.storage_key);
  return { ...toRecordingInfo(row), uploaded_bytes: held ?? 0, file_url: fileUrl(url, media, row.id) };
}

/**
 * A recording's bytes, whole or one range (RFC 9110): what a `<video>` element needs to seek. A complete
 * recording never changes (cached, with its SHA-256 as ETag); one still uploading is the part received so far,
 * which grows: never cached. Finalization's patches are laid over the stored bytes as they are read.
 */
export async function serveRecordingFile(
  media: RecordingMedia,
  row: RecordingRow,
  rangeHeader: string | undefined,
  ifNoneMatch: string | undefined,
): Promise<RestResult> {
  const size = await media.files.sizeOf(row.storage_key);
  if (size === null) refuse('not_found', 'Enregistrement non trouvé');
  const complete = row.state === 'complete';
  const etag = `"${row.sha256 ?? `${row.id}-${size}`}"`;
  const headers: Record<string, string> = complete
    ? {
        'accept-ranges': 'bytes',
        etag,
        // The bytes of a complete recording never change: caches may keep them (per user: signed or signed-in).
        'cache-control': 'private, max-age=86400, immutable',
      }
    : { 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
  if (complete && ifNoneMatch === etag) return { status: 304, headers };
  const path = media.files.pathOf(row.storage_key);
  const patches = decodePatches(row.patches ?? []);
  const ranges = rangeHeader ? parseRange(size, rangeHeader, { combine: true }) : -2;
  if (ranges === -1)
    return {
      status: 416,
      body: `bytes */${size}`,
      contentType: 'text/plain',
      headers: { ...headers, 'content-range': `bytes */${size}` },
    };
  // No Range, or one we cannot read (-2): the whole file, as RFC 9110 says to do with an invalid one.
  if (ranges === -2 || ranges.type !== 'bytes')
    return {
      status: 200,
      contentType: row.mime_type,
      headers: { ...headers, 'content-length': String(size) },
      stream: readPatched(path, patches, 0, Math.max(0, size - 1)),
    };
  // Several ranges: the first only (browsers ask for one; multipart/byteranges would help nobody here).
  const { start, end } = ranges[0]!;
  return {
    status: 206,
    contentType: row.mime_type,
    headers: {
      ...headers,
      'content-length': String(end - start + 1),
      'content-range': `bytes ${start}-${end}/${size}`,
    },
    stream: readPatched(path, patches, start, end),
  };
}
