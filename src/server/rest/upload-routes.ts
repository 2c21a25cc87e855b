import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { authorizeUpload, recordCompletedUpload } from '../domain/recordings';
import { Refusal, refuse } from '../domain/refusal';
import { NotAVideo, type StoredFile, TooLarge } from '../recordings/file-store';
import type { RecordingMedia } from '../recordings/media';
import { fileUrl, mediaOf } from './recording-files';
import { MIME_BY_CONTAINER } from '../recordings/video-signature';
import { BodyTooLarge } from './body';
import type { Route } from './routes';

const ID = '([^/]+)';
/** The types the web client's upload accepts (by declaration; the bytes are checked too). */
const DECLARED_TYPES = ['video/webm', 'video/mp4', 'video/quicktime'];
const NOT_A_VIDEO = 'Le fichier doit être une vidéo (WebM, MP4 ou QuickTime).';

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

/** The web client's recording upload: one multipart request, stored complete (playback: recording-routes.ts). */
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
];
