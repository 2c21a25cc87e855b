import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import parseRange from 'range-parser';
import type { Actor, DomainEnv } from '../domain/env';
import {
  authorizeUpload,
  recordCompletedUpload,
  recordingForPlayback,
  type RecordingRow,
} from '../domain/recordings';
import { Refusal, refuse } from '../domain/refusal';
import { authenticate } from '../domain/users';
import { NotAVideo, type StoredFile, TooLarge } from '../recordings/file-store';
import { type RecordingMedia, SIGNED_LINK_TTL_SECONDS } from '../recordings/media';
import { MIME_BY_CONTAINER } from '../recordings/video-signature';
import { BodyTooLarge } from './body';
import type { RestResult, Route } from './routes';

const ID = '([^/]+)';
// No capture group: the handler's numeric path ids are for live and message ids; this one is a uuid.
const RECORDING_FILE = /^\/api\/recordings\/[0-9a-f-]{36}\/file\/$/;
/** The types the web client's upload accepts (by declaration; the bytes are checked too). */
const DECLARED_TYPES = ['video/webm', 'video/mp4', 'video/quicktime'];
const NOT_A_VIDEO = 'Le fichier doit être une vidéo (WebM, MP4 ou QuickTime).';

function mediaOf(env: DomainEnv): RecordingMedia {
  if (!env.media) throw new Error('this server was started without a recordings store');
  return env.media;
}

const tooLarge = (allowed: number) =>
  new BodyTooLarge(
    `Fichier trop volumineux : ${Math.floor(allowed / 1024 ** 2)} Mo au plus pour ce compte (limite par fichier ou quota).`,
  );

/**
 * Reads the multipart body and stores its `video` file, refusing a declared type or bytes that are not a
 * video, and anything past `allowedBytes`. Other fields and files are read and dropped.
 */
function receiveVideo(
  req: IncomingMessage,
  media: RecordingMedia,
  allowedBytes: number,
): Promise<StoredFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      return reject(new Refusal('invalid_input', 'Envoyez la vidéo en multipart/form-data (champ video).'));
    }
    let settled = false;
    /** A refusal answers at once: the parser is let go and the rest of the body drained (by the handler). */
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      reject(
        error instanceof NotAVideo
          ? new Refusal('invalid_input', NOT_A_VIDEO, { errors: { video: [NOT_A_VIDEO] } })
          : error instanceof TooLarge
            ? tooLarge(allowedBytes)
            : error,
      );
    };
    let saving: Promise<StoredFile> | null = null;
    parser.on('file', (name: string, file: Readable, info: { mimeType: string }) => {
      if (name !== 'video' || saving) return void file.resume();
      if (!DECLARED_TYPES.includes(info.mimeType.toLowerCase())) {
        file.resume();
        return fail(new NotAVideo(info.mimeType));
      }
      saving = media.files.receive(file, allowedBytes);
      saving.catch(fail);
    });
    parser.on('error', () =>
      fail(new Refusal('invalid_input', 'Corps multipart illisible : envoyez la vidéo dans le champ video.')),
    );
    // The whole body was read: the file is stored (or its refusal already answered).
    parser.on('close', () => {
      if (!saving)
        return fail(
          new Refusal('invalid_input', 'Aucune vidéo reçue : envoyez le fichier dans le champ video.', {
            errors: { video: ['This field is required.'] },
          }),
        );
      saving.then((stored) => {
        if (settled) return void media.files.remove(stored.key);
        settled = true;
        resolve(stored);
      }, fail);
    });
    req.pipe(parser);
  });
}

function fileUrl(url: URL, media: RecordingMedia, recordingId: string): string {
  return `${url.origin}/api/recordings/${recordingId}/file/?${media.links.query(recordingId, SIGNED_LINK_TTL_SECONDS)}`;
}

/** A recording's bytes, whole or one range (RFC 9110): what a `<video>` element needs to seek. */
async function serveFile(
  media: RecordingMedia,
  row: RecordingRow,
  rangeHeader: string | undefined,
  ifNoneMatch: string | undefined,
): Promise<RestResult> {
  const size = await media.files.sizeOf(row.storage_key);
  if (size === null) refuse('not_found', 'Enregistrement non trouvé');
  const etag = `"${row.sha256 ?? `${row.id}-${size}`}"`;
  const headers: Record<string, string> = {
    'accept-ranges': 'bytes',
    etag,
    // The bytes of a complete recording never change: caches may keep them (per user: signed or signed-in).
    'cache-control': 'private, max-age=86400, immutable',
  };
  if (ifNoneMatch === etag) return { status: 304, headers };
  const path = media.files.pathOf(row.storage_key);
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
      stream: createReadStream(path),
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
    stream: createReadStream(path, { start, end }),
  };
}

async function optionalActor(env: DomainEnv, token: string | null): Promise<Actor | null> {
  if (!token) return null;
  const actor = await authenticate(env, token);
  if (!actor) refuse('unauthenticated', 'Invalid token.');
  return actor;
}

/** The web client's recording upload, and playback of the stored file by range. */
export const UPLOAD_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/api/posts/live/${ID}/upload-video/$`),
    handle: async ({ env, actor, ids, req, url }) => {
      const media = mediaOf(env);
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      if (!type.startsWith('multipart/form-data'))
        refuse('invalid_input', 'Envoyez la vidéo en multipart/form-data (champ video).');
      const postId = ids[0]!;
      const { allowedBytes } = await authorizeUpload(env, actor!, postId, media.limits);
      // Refused before a byte is stored: a declared length past the limit (the multipart envelope is small).
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > allowedBytes + 1024 * 1024) throw tooLarge(allowedBytes);
      const stored = await receiveVideo(req, media, allowedBytes);
      const id = stored.key.slice(0, 36);
      try {
        await recordCompletedUpload(env, {
          id,
          postId,
          uploaderId: actor!.id,
          mimeType: MIME_BY_CONTAINER[stored.container],
          size: stored.size,
          sha256: stored.sha256,
          storageKey: stored.key,
        });
      } catch (error) {
        await media.files.remove(stored.key);
        throw error;
      }
      return {
        status: 201,
        body: {
          message: 'Vidéo uploadée avec succès',
          media_id: id,
          file_url: fileUrl(url, media, id),
          size: stored.size,
          sha256: stored.sha256,
          mime_type: MIME_BY_CONTAINER[stored.container],
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: RECORDING_FILE,
    // A signed link is its own proof (a <video> sends no header); without one, the usual sign-in is checked.
    anonymous: true,
    handle: async ({ env, url, req, token }) => {
      const media = mediaOf(env);
      const recordingId = url.pathname.split('/')[3]!;
      const signed = media.links.verify(
        recordingId,
        url.searchParams.get('expires'),
        url.searchParams.get('signature'),
      );
      const actor = signed ? null : await optionalActor(env, token);
      const row = await recordingForPlayback(env, actor, recordingId, signed);
      return serveFile(media, row, req.headers.range, req.headers['if-none-match']);
    },
  },
];
