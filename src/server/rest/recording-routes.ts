import { z } from 'zod';
import { recordingCompletionSchema } from '../../shared/recording-upload';
import { completeUpload } from '../domain/recording-uploads';
import type { Actor, DomainEnv } from '../domain/env';
import {
  deleteRecording,
  recordingForPlayback,
  recordingsOfLive,
  setRecordingPublished,
  visibleRecordings,
} from '../domain/recordings';
import { refuse } from '../domain/refusal';
import { authenticate } from '../domain/users';
import { decodePatches, MAX_PATCH_BYTES, readPatched, sha256Patched } from '../recordings/patched-bytes';
import { videoContainerOf } from '../recordings/video-signature';
import { mediaOf, recordingView, serveRecordingFile } from './recording-files';
import type { Route } from './routes';
import { validate } from './validate';

const ID = '([^/]+)';
// The handler's numeric path ids are for lives and messages; a recording's uuid is read from the path itself.
const RECORDING = '/api/recordings/[0-9a-f-]{36}';
const recordingIdOf = (url: URL) => url.pathname.split('/')[3]!;
/** The patches' limit in base64, plus room for the timeline and the JSON around them. */
const COMPLETION_BODY_BYTES = Math.ceil((MAX_PATCH_BYTES * 4) / 3) + 1024 * 1024;
const publishBodySchema = z.object({ published: z.boolean() });

async function optionalActor(env: DomainEnv, token: string | null): Promise<Actor | null> {
  if (!token) return null;
  const actor = await authenticate(env, token);
  if (!actor) refuse('unauthenticated', 'Invalid token.');
  return actor;
}

/** A live's recordings on the server: listed, played by range, completed after a tus upload, published, deleted. */
export const RECORDING_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/recordings\/$/,
    // A second desktop's library: every recording of the lives the caller runs or moderates, and published ones.
    handle: async ({ env, actor, url }) => {
      const media = mediaOf(env);
      const found = await visibleRecordings(env, actor!);
      return { status: 200, body: await Promise.all(found.map((row) => recordingView(url, media, row))) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/posts/live/${ID}/recordings/$`),
    handle: async ({ env, actor, ids, url }) => {
      const media = mediaOf(env);
      const found = await recordingsOfLive(env, actor!, ids[0]!);
      return { status: 200, body: await Promise.all(found.map((row) => recordingView(url, media, row))) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${RECORDING}/file/$`),
    // A signed link is its own proof (a <video> sends no header); without one, the usual sign-in is checked.
    anonymous: true,
    handle: async ({ env, url, req, token }) => {
      const media = mediaOf(env);
      const recordingId = recordingIdOf(url);
      const signed = media.links.verify(
        recordingId,
        url.searchParams.get('expires'),
        url.searchParams.get('signature'),
      );
      const actor = signed ? null : await optionalActor(env, token);
      const row = await recordingForPlayback(env, actor, recordingId, signed);
      return serveRecordingFile(media, row, req.headers.range, req.headers['if-none-match']);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${RECORDING}/complete/$`),
    handle: async ({ env, actor, url, readBody }) => {
      const media = mediaOf(env);
      const id = recordingIdOf(url);
      // Patches (base64) and the timeline of an hour of video are tens of KiB: more than a chat message's limit.
      const claim = validate(recordingCompletionSchema, await readBody(COMPLETION_BODY_BYTES));
      const upload = await media.uploads.getUpload(id).catch(() => refuse('not_found', 'Envoi non trouvé'));
      if (upload.size === undefined || upload.offset !== upload.size)
        refuse(
          'conflict',
          `L'envoi n'est pas terminé : ${upload.offset} octets reçus sur ${upload.size ?? '?'}.`,
        );
      const size = upload.size;
      const patchBytes = claim.patches.reduce(
        (sum, patch) => sum + Buffer.from(patch.data, 'base64').length,
        0,
      );
      if (patchBytes > MAX_PATCH_BYTES)
        refuse('invalid_input', 'Trop de corrections pour un enregistrement.');
      const decoded = decodePatches(claim.patches);
      if (decoded.some((patch) => patch.at + patch.bytes.length > size))
        refuse('invalid_input', 'Une correction dépasse la fin du fichier reçu.');
      const path = media.files.pathOf(`tus/${id}`);
      const done = await completeUpload(
        env,
        actor!,
        id,
        {
          sha256: claim.sha256,
          patches: claim.patches,
          durationMs: claim.duration_ms,
          clockOffsetMs: claim.clock_offset_ms,
          timeline: claim.timeline,
        },
        {
          size,
          hash: async () => {
            // Judged by its first bytes, as the finalized file has them: a video, or refused.
            const head: Buffer[] = [];
            for await (const chunk of readPatched(path, decoded, 0, 11)) head.push(chunk);
            if (!videoContainerOf(Buffer.concat(head)))
              refuse('invalid_input', 'Le fichier doit être une vidéo (WebM, MP4 ou QuickTime).');
            return sha256Patched(path, decoded);
          },
        },
      );
      return { status: 200, body: { id, state: 'complete', size: done.size, sha256: done.sha256 } };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${RECORDING}/publish/$`),
    handle: async ({ env, actor, url, readBody }) => {
      const media = mediaOf(env);
      const { published } = validate(publishBodySchema, await readBody());
      const row = await setRecordingPublished(env, actor!, recordingIdOf(url), published);
      return { status: 200, body: await recordingView(url, media, row) };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^${RECORDING}/$`),
    handle: async ({ env, actor, url }) => {
      const media = mediaOf(env);
      const row = await deleteRecording(env, actor!, recordingIdOf(url));
      // The row is gone first: a crash now leaves orphan bytes, never a listed recording without its file.
      if (row.storage_key.startsWith('tus/')) await media.uploads.remove(row.id).catch(() => {});
      else await media.files.remove(row.storage_key);
      return { status: 204 };
    },
  },
];
