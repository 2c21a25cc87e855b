import { sql } from 'drizzle-orm';
import type { RecordingInfo } from '../../shared/recording-upload';
import type { RecordingPatch, RecordingTimeline } from '../db/schema/recordings';
import { type Executor, firstRow, rows, toIso, toNumber } from '../db/sql';
import { loadLiveAccess } from './access';
import { writeLog } from './moderation-log';
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
  duration_ms: unknown;
  clock_offset_ms: unknown;
  recorded_at: unknown;
  timeline: RecordingTimeline | null;
  live_title: string;
  patches: RecordingPatch[];
  published: boolean;
  created_at: unknown;
  completed_at: unknown;
  live_status: string;
  host_id: unknown;
};

export type { RecordingInfo };

export function toRecordingInfo(row: RecordingRow): RecordingInfo {
  return {
    id: row.id,
    post_id: toNumber(row.post_id),
    mime_type: row.mime_type,
    size: toNumber(row.size_bytes),
    sha256: row.sha256,
    state: row.state,
    duration_ms: row.duration_ms === null ? null : toNumber(row.duration_ms),
    clock_offset_ms: row.clock_offset_ms === null ? null : toNumber(row.clock_offset_ms),
    recorded_at: toIso(row.recorded_at),
    timeline: row.timeline,
    live_title: row.live_title,
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

/** A recording with what the rules and the listing need of its live: one join, written once. */
const RECORDING_WITH_LIVE = sql.raw(
  `select r.*, p.status as live_status, p.host_id, p.title as live_title
   from recordings r join posts p on p.id = r.post_id`,
);

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
    sql`${RECORDING_WITH_LIVE}
        where r.id = ${recordingId}`,
  );
  if (!row) refuse('not_found', 'Enregistrement non trouvé');
  if (signed) return row;
  if (!actor) refuse('unauthenticated', 'Authentication credentials were not provided.');
  const access = await loadLiveAccess(env.db, toNumber(row.post_id), actor);
  // The part uploaded so far is for the staff (a moderator watches seconds behind the host).
  if (access.staff) return row;
  if (row.state === 'complete' && row.published && row.live_status === 'ended') return row;
  return refuse('not_found', 'Enregistrement non trouvé');
}

/** A live's recordings, oldest first: all of them for its staff, the published ones of an ended live for others. */
export async function recordingsOfLive(
  env: DomainEnv,
  actor: Actor,
  postId: number,
): Promise<RecordingRow[]> {
  const access = await loadLiveAccess(env.db, postId, actor);
  const visible = access.staff ? sql`true` : sql`r.state = 'complete' and r.published and p.status = 'ended'`;
  return rows<RecordingRow>(
    env.db,
    sql`${RECORDING_WITH_LIVE}
        where r.post_id = ${postId} and ${visible} order by r.created_at, r.id`,
  );
}

/** Every recording the caller may see, newest first: of the lives they host or moderate, and published ones. */
export async function visibleRecordings(env: DomainEnv, actor: Actor): Promise<RecordingRow[]> {
  return rows<RecordingRow>(
    env.db,
    sql`${RECORDING_WITH_LIVE}
        where p.host_id = ${actor.id}
           or exists(select 1 from live_roles l where l.post_id = p.id and l.user_id = ${actor.id})
           or (r.state = 'complete' and r.published and p.status = 'ended')
        order by r.created_at desc, r.id
        limit 500`,
  );
}

async function hostsRecording(env: DomainEnv, actor: Actor, recordingId: string): Promise<RecordingRow> {
  if (!UUID.test(recordingId)) refuse('not_found', 'Enregistrement non trouvé');
  const row = await firstRow<RecordingRow>(
    env.db,
    sql`${RECORDING_WITH_LIVE}
        where r.id = ${recordingId}`,
  );
  if (!row) refuse('not_found', 'Enregistrement non trouvé');
  const access = await loadLiveAccess(env.db, toNumber(row.post_id), actor);
  if (!access.staff) refuse('not_found', 'Enregistrement non trouvé');
  if (access.role !== 'host')
    refuse('forbidden', "Seul l'hôte du live peut supprimer ou publier son enregistrement.");
  return row;
}

/** Deletes a recording's row (its bytes are the caller's to remove, after): the host's right, logged. */
export async function deleteRecording(
  env: DomainEnv,
  actor: Actor,
  recordingId: string,
): Promise<RecordingRow> {
  const row = await hostsRecording(env, actor, recordingId);
  await env.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Executor;
    await tx.execute(sql`delete from recordings where id = ${recordingId}`);
    await writeLog(tx, {
      postId: toNumber(row.post_id),
      actorId: actor.id,
      action: 'delete_recording',
      details: { recording_id: recordingId, size: toNumber(row.size_bytes), sha256: row.sha256 },
    });
  });
  return row;
}

/** Lets viewers play the recording once the live has ended (or stops them): the host's choice, logged. */
export async function setRecordingPublished(
  env: DomainEnv,
  actor: Actor,
  recordingId: string,
  published: boolean,
): Promise<RecordingRow> {
  const row = await hostsRecording(env, actor, recordingId);
  await env.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Executor;
    await tx.execute(sql`update recordings set published = ${published} where id = ${recordingId}`);
    await writeLog(tx, {
      postId: toNumber(row.post_id),
      actorId: actor.id,
      action: 'publish_recording',
      details: { recording_id: recordingId, published },
    });
  });
  return { ...row, published };
}
