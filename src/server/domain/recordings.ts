import { sql } from 'drizzle-orm';
import { firstRow, toIso, toNumber } from '../db/sql';
import { loadLiveAccess } from './access';
import type { Actor, DomainEnv } from './env';
import { refuse } from './refusal';

/** What the server stores a recording's bytes with (src/server/recordings), and its limits. */
export type RecordingLimits = { maxFileBytes: number; quotaBytes: number };

export const DEFAULT_RECORDING_LIMITS: RecordingLimits = {
  maxFileBytes: 8 * 1024 ** 3,
  quotaBytes: 20 * 1024 ** 3,
};

export type RecordingRow = {
  id: string;
  post_id: unknown;
  uploader_id: unknown;
  mime_type: string;
  size_bytes: unknown;
  sha256: string | null;
  state: 'uploading' | 'complete';
  storage_key: string;
  published: boolean;
  created_at: unknown;
  completed_at: unknown;
  live_status: string;
  host_id: unknown;
};

export type RecordingInfo = {
  id: string;
  post_id: number;
  mime_type: string;
  size: number;
  sha256: string | null;
  state: 'uploading' | 'complete';
  published: boolean;
  created_at: string;
  completed_at: string | null;
};

export function toRecordingInfo(row: RecordingRow): RecordingInfo {
  return {
    id: row.id,
    post_id: toNumber(row.post_id),
    mime_type: row.mime_type,
    size: toNumber(row.size_bytes),
    sha256: row.sha256,
    state: row.state,
    published: row.published,
    created_at: toIso(row.created_at)!,
    completed_at: toIso(row.completed_at),
  };
}

/**
 * Who may send a live's recording: its host and its moderators (a viewer's upload is a 403, an unknown live a
 * 404), checked before a byte is read. Answers how many bytes the caller may still store.
 */
export async function authorizeUpload(
  env: DomainEnv,
  actor: Actor,
  postId: number,
  limits: RecordingLimits,
): Promise<{ allowedBytes: number }> {
  const access = await loadLiveAccess(env.db, postId, actor);
  if (!access.staff)
    refuse('forbidden', "Seuls l'hôte du live et ses modérateurs peuvent envoyer son enregistrement.");
  const used = await firstRow<{ n: unknown }>(
    env.db,
    sql`select coalesce(sum(size_bytes), 0) as n from recordings where uploader_id = ${actor.id}`,
  );
  const left = limits.quotaBytes - toNumber(used!.n);
  return { allowedBytes: Math.max(0, Math.min(limits.maxFileBytes, left)) };
}

export type CompletedUpload = {
  id: string;
  postId: number;
  uploaderId: number;
  mimeType: string;
  size: number;
  sha256: string;
  storageKey: string;
};

/** A whole file received at once (the web client's multipart upload): stored complete. */
export async function recordCompletedUpload(env: DomainEnv, upload: CompletedUpload): Promise<void> {
  await env.db.execute(
    sql`insert into recordings (id, post_id, uploader_id, mime_type, size_bytes, sha256, state, storage_key, completed_at)
        values (${upload.id}, ${upload.postId}, ${upload.uploaderId}, ${upload.mimeType}, ${upload.size},
                ${upload.sha256}, 'complete', ${upload.storageKey}, now())`,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A recording the caller may play: with a signed link (`signed`), anyone holding it; otherwise the live's host
 * and moderators, and viewers once the live has ended and the host published it. Others get a 404, so that
 * the ids of unpublished recordings do not leak.
 */
export async function recordingForPlayback(
  env: DomainEnv,
  actor: Actor | null,
  recordingId: string,
  signed: boolean,
): Promise<RecordingRow> {
  if (!UUID.test(recordingId)) refuse('not_found', 'Enregistrement non trouvé');
  const row = await firstRow<RecordingRow>(
    env.db,
    sql`select r.*, p.status as live_status, p.host_id from recordings r join posts p on p.id = r.post_id
        where r.id = ${recordingId} and r.state = 'complete'`,
  );
  if (!row) refuse('not_found', 'Enregistrement non trouvé');
  if (signed) return row;
  if (!actor) refuse('unauthenticated', 'Authentication credentials were not provided.');
  const access = await loadLiveAccess(env.db, toNumber(row.post_id), actor);
  if (access.staff || (row.published && row.live_status === 'ended')) return row;
  return refuse('not_found', 'Enregistrement non trouvé');
}
