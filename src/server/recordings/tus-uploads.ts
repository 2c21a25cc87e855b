import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVENTS, Server } from '@tus/server';
import { HTTP_STATUS_BY_CODE } from '../../shared/errors';
import { TUS_UPLOADS_PATH } from '../../shared/recording-upload';
import { tokenFromAuthorization } from '../auth/tokens';
import type { Actor, DomainEnv } from '../domain/env';
import {
  beginUpload,
  forgetUpload,
  mayAbandonUpload,
  ownUpload,
  reserveUploadBytes,
  uploadIdFor,
} from '../domain/recording-uploads';
import { Refusal, refuse } from '../domain/refusal';
import { authenticate } from '../domain/users';
import type { RecordingMedia } from './media';

const DECLARED_TYPES = ['video/webm', 'video/mp4', 'video/quicktime'];

/**
 * The resumable upload of recordings (tus 1.0: creation, creation-defer-length, termination), by @tus/server
 * over a file store under `DATA_DIR/recordings/tus`. A host uploads while it records, so the length is
 * deferred until the recorder stops. Every request is signed in with the usual Bearer token; the rules (who
 * may upload, quota, file limit) are the domain's (domain/recording-uploads.ts), checked before bytes are
 * stored. An upload's id is the recording's id.
 */
export function createTusUploads(env: DomainEnv, media: RecordingMedia) {
  const actorOf = async (req: Request): Promise<Actor> => {
    const token = tokenFromAuthorization(req.headers.get('authorization') ?? undefined);
    if (!token) refuse('unauthenticated', 'Authentication credentials were not provided.');
    const actor = await authenticate(env, token);
    if (!actor) refuse('unauthenticated', 'Invalid token.');
    return actor;
  };

  const tus = new Server({
    path: TUS_UPLOADS_PATH,
    datastore: media.uploads,
    // Relative: behind a proxy (nginx, docs/scaling.md) the client resolves it against the address it used.
    relativeLocation: true,
    maxSize: media.limits.maxFileBytes,
    namingFunction: (_req, metadata) => uploadIdFor(metadata?.recording_id, randomUUID),
    onIncomingRequest: async (req, uploadId) => {
      const actor = await actorOf(req);
      if (req.method === 'POST') return;
      if (req.method === 'DELETE') return mayAbandonUpload(env, actor, uploadId);
      if (req.method === 'PATCH') {
        const length = req.headers.get('content-length');
        if (length === null || !/^\d{1,15}$/.test(length))
          refuse('invalid_input', 'Chaque envoi doit annoncer sa longueur (Content-Length).');
        const upTo = Number(req.headers.get('upload-offset')) + Number(length);
        return reserveUploadBytes(env, actor, media.limits, uploadId, upTo);
      }
      await ownUpload(env, actor, uploadId);
    },
    onUploadCreate: async (req, upload) => {
      const actor = await actorOf(req);
      const liveId = Number(upload.metadata?.live_id);
      if (!Number.isSafeInteger(liveId) || liveId < 1)
        refuse('invalid_input', "Indiquez le live de l'enregistrement (métadonnée live_id).", {
          errors: { live_id: ['This field is required.'] },
        });
      const mimeType = (upload.metadata?.filetype ?? 'video/webm').toLowerCase();
      if (!DECLARED_TYPES.includes(mimeType))
        refuse('invalid_input', 'Le fichier doit être une vidéo (WebM, MP4 ou QuickTime).');
      await beginUpload(env, actor, media.limits, {
        id: upload.id,
        postId: liveId,
        mimeType,
        declaredSize: upload.size ?? null,
        recordedAt: recordedAtOf(upload.metadata?.started_at),
      });
      return {};
    },
    onResponseError: (_req, error) => {
      if (!(error instanceof Refusal)) return undefined;
      return {
        status_code: HTTP_STATUS_BY_CODE[error.code],
        body: JSON.stringify({ error: error.message, detail: error.message, code: error.code }),
      };
    },
  });
  tus.on(EVENTS.POST_TERMINATE, (_req, _res, id) => {
    forgetUpload(env, id).catch((error) => console.error('could not forget an abandoned upload', error));
  });

  return {
    handle: (req: IncomingMessage, res: ServerResponse) => tus.handle(req, res),
  };
}

export type TusUploads = ReturnType<typeof createTusUploads>;

/** The recorder's start (ISO 8601 in the metadata), or null when absent or not a date. */
function recordedAtOf(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
