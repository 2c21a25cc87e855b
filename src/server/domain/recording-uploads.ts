import { sql } from 'drizzle-orm';
import type { RecordingPatch, RecordingTimeline } from '../db/schema/recordings';
import { firstRow, toNumber } from '../db/sql';
import { loadLiveAccess } from './access';
import type { Actor, DomainEnv } from './env';
import type { RecordingLimits } from './recordings';
import { refuse } from './refusal';

/**
 * The rules of a resumable (tus) recording upload, whatever carries the bytes: who may start, continue or
 * abandon one, the per-user quota, and the check that makes a recording `complete` (design §3). The row is
 * written when the upload is created, so an upload that never finishes is visible as `uploading`.
 */

export type UploadRow = {
  id: string;
  post_id: unknown;
  uploader_id: unknown;
  state: 'uploading' | 'complete';
  sha256: string | null;
  size_bytes: unknown;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_FOUND = 'Envoi non trouvé';

const tooLarge = (allowed: number): never =>
  refuse(
    'too_large',
    `Fichier trop volumineux : ${Math.floor(allowed / 1024 ** 2)} Mo au plus pour ce compte (limite par fichier ou quota).`,
  );

/** Bytes the caller may still store in one file: the file limit, or what the quota leaves beside `exceptId`. */
async function allowedBytes(env: DomainEnv, actor: Actor, limits: RecordingLimits, exceptId: string | null) {
  const used = await firstRow<{ n: unknown }>(
    env.db,
    sql`select coalesce(sum(size_bytes), 0) as n from recordings
        where uploader_id = ${actor.id} and (${exceptId}::uuid is null or id <> ${exceptId}::uuid)`,
  );
  return Math.max(0, Math.min(limits.maxFileBytes, limits.quotaBytes - toNumber(used!.n)));
}

/**
 * A new upload of a live's recording by its host or one of its moderators. A declared length past the limit
 * is refused here, before any byte; a deferred one is checked at every chunk (`reserveUploadBytes`).
 */
export async function beginUpload(
  env: DomainEnv,
  actor: Actor,
  limits: RecordingLimits,
  upload: {
    id: string;
    postId: number;
    mimeType: string;
    declaredSize: number | null;
    recordedAt: Date | null;
  },
): Promise<void> {
  const access = await loadLiveAccess(env.db, upload.postId, actor);
  if (!access.staff)
    refuse('forbidden', "Seuls l'hôte du live et ses modérateurs peuvent envoyer son enregistrement.");
  const allowed = await allowedBytes(env, actor, limits, null);
  if (upload.declaredSize !== null && upload.declaredSize > allowed) tooLarge(allowed);
  // The host names its upload after its own recording: a retried creation finds the first one, never a twin.
  const inserted = await firstRow<{ id: string }>(
    env.db,
    sql`insert into recordings (id, post_id, uploader_id, mime_type, size_bytes, state, storage_key, recorded_at)
        values (${upload.id}, ${upload.postId}, ${actor.id}, ${upload.mimeType},
                ${upload.declaredSize ?? 0}, 'uploading', ${`tus/${upload.id}`}, ${upload.recordedAt})
        on conflict (id) do nothing returning id`,
  );
  if (!inserted) refuse('conflict', 'Cet enregistrement est déjà sur le serveur : reprenez son envoi.');
}

/** The id an upload is created under: the host's recording id when it gives one, else a new one. */
export function uploadIdFor(requested: string | null | undefined, fresh: () => string): string {
  return requested && UUID.test(requested) ? requested : fresh();
}

/** The caller's own upload, or a 404 (someone else's upload does not exist for them). */
export async function ownUpload(env: DomainEnv, actor: Actor, id: string): Promise<UploadRow> {
  if (!UUID.test(id)) refuse('not_found', NOT_FOUND);
  const row = await firstRow<UploadRow>(
    env.db,
    sql`select id, post_id, uploader_id, state, sha256, size_bytes from recordings
        where id = ${id} and storage_key = ${`tus/${id}`}`,
  );
  if (!row || toNumber(row.uploader_id) !== actor.id) refuse('not_found', NOT_FOUND);
  return row;
}

/**
 * Before a chunk is stored: the upload is the caller's, still open, and `upTo` bytes fit the file limit and
 * the quota. The row then counts `upTo` bytes against the quota, so that two uploads cannot both use the rest.
 */
export async function reserveUploadBytes(
  env: DomainEnv,
  actor: Actor,
  limits: RecordingLimits,
  id: string,
  upTo: number,
): Promise<void> {
  const row = await ownUpload(env, actor, id);
  if (row.state === 'complete') refuse('conflict', 'Cet enregistrement est déjà complet sur le serveur.');
  const allowed = await allowedBytes(env, actor, limits, id);
  if (upTo > allowed) tooLarge(allowed);
  if (upTo > toNumber(row.size_bytes))
    await env.db.execute(sql`update recordings set size_bytes = ${upTo} where id = ${id}`);
}

/** Abandoning an upload (tus termination) is for an unfinished one; a complete recording is deleted by its host. */
export async function mayAbandonUpload(env: DomainEnv, actor: Actor, id: string): Promise<void> {
  const row = await ownUpload(env, actor, id);
  if (row.state === 'complete')
    refuse('conflict', "Un enregistrement complet ne s'abandonne pas : son hôte peut le supprimer.");
}

export async function forgetUpload(env: DomainEnv, id: string): Promise<void> {
  await env.db.execute(sql`delete from recordings where id = ${id} and state = 'uploading'`);
}

export type CompletionClaim = {
  sha256: string;
  patches: RecordingPatch[];
  durationMs: number | null;
  clockOffsetMs: number | null;
  timeline: RecordingTimeline | null;
};

/**
 * Marks an upload complete once the bytes the server holds, with the finalization's patches laid over them,
 * hash to what the host computed of its finalized file. A mismatch is a 409 that changes nothing: the host
 * then starts the upload again. Completing twice with the same hash answers the same.
 */
export async function completeUpload(
  env: DomainEnv,
  actor: Actor,
  id: string,
  claim: CompletionClaim,
  /** The stored bytes: their size, and their SHA-256 with the claim's patches laid over (checked first). */
  stored: { size: number; hash: () => Promise<string> },
): Promise<{ size: number; sha256: string }> {
  const row = await ownUpload(env, actor, id);
  if (row.state === 'complete') {
    if (row.sha256 === claim.sha256) return { size: toNumber(row.size_bytes), sha256: row.sha256 };
    refuse('conflict', 'Cet enregistrement est déjà complet sur le serveur, avec un autre contenu.');
  }
  const actual = await stored.hash();
  if (actual !== claim.sha256)
    refuse(
      'conflict',
      "Le fichier reçu ne correspond pas à l'enregistrement (SHA-256 différent) : renvoyez-le depuis le début.",
      { errors: { sha256: [`le serveur a ${actual}`] } },
    );
  await env.db.execute(
    sql`update recordings set state = 'complete', sha256 = ${actual}, size_bytes = ${stored.size},
          patches = ${JSON.stringify(claim.patches)}::jsonb, duration_ms = ${claim.durationMs},
          clock_offset_ms = ${claim.clockOffsetMs},
          timeline = ${claim.timeline ? JSON.stringify(claim.timeline) : null}::jsonb, completed_at = now()
        where id = ${id}`,
  );
  return { size: stored.size, sha256: actual };
}
