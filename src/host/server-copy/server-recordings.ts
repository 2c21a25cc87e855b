import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ServerRecording } from '../../shared/recording-upload';
import type { RecordingService } from '../recording/recording-service';
import type { RecordingView } from '../recording/recording-view';
import { type Credentials, createRenewingFetch } from '../server-link/renewing-fetch';
import type { SyncTarget } from '../sync/engine';
import { serverBase, serverMessage, sha256OfFile } from './server-calls';

const EXTENSION_BY_MIME: Record<string, string> = {
  'video/webm': 'webm',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
};

export type ServerRecordingListing = ServerRecording & {
  /** This computer has the file (it recorded it, or downloaded it). */
  on_this_computer: boolean;
};

async function failureOf(response: Response): Promise<Error> {
  return new Error(serverMessage(await response.text(), new Error(`the server answered ${response.status}`)));
}

/** The recordings the signed-in account may see on the chosen server (other desktops' included). */
export async function listServerRecordings(
  target: SyncTarget,
  credentials: Credentials,
  recordings: RecordingService,
): Promise<ServerRecordingListing[]> {
  const response = await createRenewingFetch(credentials, 15_000)(`${serverBase(target)}/api/recordings/`);
  if (!response.ok) throw await failureOf(response);
  const local = new Set(recordings.list().map((view) => view.id));
  return ((await response.json()) as ServerRecording[]).map((recording) => ({
    ...recording,
    on_this_computer: local.has(recording.id),
  }));
}

/**
 * "Télécharger pour hors-ligne": the server's copy of a complete recording becomes a local one (same id), which
 * the replay then plays with its chat and no network. The download resumes where a `.part` stopped (HTTP
 * Range), and the file is kept only if its SHA-256 is the server's.
 */
export async function downloadServerRecording(
  target: SyncTarget,
  credentials: Credentials,
  recordings: RecordingService,
  id: string,
): Promise<RecordingView> {
  const listed = (await listServerRecordings(target, credentials, recordings)).find((r) => r.id === id);
  if (!listed) throw new Error('This recording is not on the server (or not for this account).');
  if (listed.on_this_computer) return recordings.get(id);
  if (listed.state !== 'complete' || !listed.sha256)
    throw new Error('This recording is still being uploaded: it can be downloaded once complete.');
  const ext = EXTENSION_BY_MIME[listed.mime_type] ?? 'webm';
  const part = recordings.downloadPath(id, ext);
  const have = await stat(part).then(
    (found) => found.size,
    () => 0,
  );
  const response = await fetch(listed.file_url, {
    headers: have > 0 ? { range: `bytes=${have}-` } : {},
    signal: AbortSignal.timeout(6 * 3600 * 1000),
  });
  if (response.status !== 200 && response.status !== 206) throw await failureOf(response);
  // A 200 to a range request is the whole file again: start over rather than append it twice.
  const append = response.status === 206;
  await pipeline(
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    createWriteStream(part, { flags: append ? 'a' : 'w', mode: 0o600 }),
  );
  if ((await sha256OfFile(part)) !== listed.sha256) {
    await rm(part, { force: true });
    throw new Error('The downloaded file does not match the server (SHA-256): try again.');
  }
  return recordings.adoptDownloaded({
    id,
    ext,
    mime: listed.mime_type,
    liveId: listed.post_id,
    serverKey: target.serverKey,
    liveTitle: listed.live_title,
    startedAt: listed.recorded_at ?? listed.created_at,
    serverClockOffsetMs: listed.clock_offset_ms ?? 0,
    durationMs: listed.duration_ms,
    bytes: listed.size,
    pauses: listed.timeline?.pauses ?? [],
    markers: listed.timeline?.markers ?? [],
  });
}
