import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import type { HostDatabase } from '../db/open';
import { type RecordingMarker, type RecordingPause, recordings } from '../db/schema/recordings';
import { ChunkWriter } from './chunk-writer';
import { finalizeRecording, readDurationMs } from './finalize';
import { RunningScan } from './webm/running-scan';
import { RecordingError } from './recording-error';
import { containerFor } from './containers';
import { toRecordingView, type RecordingView } from './recording-view';
import { videoTimeAt } from '../../shared/replay-clock';
import { prepareRecordingHead } from './webm/reserve-header';

/** A WebM head longer than this is not waited for: written as it came, the file is remuxed when it stops. */
const HEAD_WAIT_MAX_BYTES = 64 * 1024;

export type StartRecordingInput = {
  mime: string;
  liveId?: number | undefined;
  /** The server of that live (host/server-link target's serverKey). */
  serverKey?: string | undefined;
  liveTitle?: string | undefined;
  serverClockOffsetMs?: number | undefined;
};

export type ChunkResult = { outcome: 'written' | 'buffered' | 'duplicate'; bytes: number; nextSeq: number };

export type RecordingServiceOptions = {
  database: HostDatabase;
  /** Where the files go (`<id>.<ext>.part` while recording, `<id>.<ext>` once finalized). */
  directory: string;
  now?: () => number;
  /** How often chunk bytes are forced to disk, in ms (default 1 s; the floor is 2 s). */
  syncEveryMs?: number;
};

type Active = {
  writer: ChunkWriter;
  /** Read behind the writer, so that stopping only scans the last second (webm/running-scan.ts). */
  scan: RunningScan;
  startedAtMs: number;
  pauses: RecordingPause[];
  markers: RecordingMarker[];
};

export type RecordingService = ReturnType<typeof createRecordingService>;

/**
 * The recordings of this computer: receives the renderer's chunks, keeps them on disk crash-safely, finalizes
 * them into seekable files, recovers what a crash left behind, and serves the library. The renderer records; the
 * host owns the files and the rows (design §1).
 */
export function createRecordingService(options: RecordingServiceOptions) {
  const { database, directory } = options;
  const { db, sqlite } = database;
  const now = options.now ?? Date.now;
  mkdirSync(directory, { recursive: true });

  const events = new EventEmitter<{ change: [RecordingView]; durable: [id: string, bytes: number] }>();
  events.setMaxListeners(0);
  const active = new Map<string, Active>();
  const finalizing = new Map<string, { progress: number; done: Promise<void> }>();
  // The hot path (one update per chunk, every second) uses a prepared statement, not a query build per call.
  const saveProgress = sqlite.prepare('UPDATE recordings SET bytes = ?, next_seq = ? WHERE id = ?');

  const paths = (id: string, ext: string) => {
    const final = join(directory, `${id}.${ext}`);
    return { final, part: `${final}.part`, temporary: `${final}.tmp` };
  };

  const row = (id: string) => db.select().from(recordings).where(eq(recordings.id, id)).get();
  const uploadSpeeds = new Map<string, number>();
  const toView = (found: typeof recordings.$inferSelect) =>
    toRecordingView(found, finalizing.get(found.id)?.progress ?? null, uploadSpeeds.get(found.id) ?? null);
  const view = (id: string): RecordingView => {
    const found = row(id);
    if (!found) throw new RecordingError('NOT_FOUND', `No recording ${id}.`);
    return toView(found);
  };
  const announce = (id: string) => {
    const found = row(id);
    if (found) events.emit('change', toView(found));
  };
  const activeOrThrow = (id: string): Active => {
    const recording = active.get(id);
    if (recording) return recording;
    const found = row(id);
    if (!found) throw new RecordingError('NOT_FOUND', `No recording ${id}.`);
    throw new RecordingError('CONFLICT', `The recording ${id} is no longer running (${found.status}).`);
  };

  /** Runs the remux in the background; the row says `finalizing` until it is done, then `ready`/`recovered`. */
  const finalize = (id: string, ext: string, doneStatus: 'ready' | 'recovered', scan?: RunningScan) => {
    const entry = { progress: 0, done: Promise.resolve() };
    let lastAnnounced = 0;
    const { part, final } = paths(id, ext);
    entry.done = (async () => {
      try {
        if (!existsSync(part) && existsSync(final)) {
          // The app died between the rename and the row update: the file is complete, only the row lags.
          const durationMs = await readDurationMs(final);
          db.update(recordings)
            .set({ status: doneStatus, durationMs, bytes: statSync(final).size, error: null })
            .where(eq(recordings.id, id))
            .run();
          return;
        }
        if (!existsSync(part) || statSync(part).size === 0) throw new Error('no data was written');
        const keptUp = (await scan?.finish()) ?? undefined;
        const result = await finalizeRecording(
          part,
          final,
          (fraction) => {
            entry.progress = fraction;
            if (fraction - lastAnnounced >= 0.05) {
              lastAnnounced = fraction;
              announce(id);
            }
          },
          keptUp,
        );
        db.update(recordings)
          .set({ status: doneStatus, durationMs: result.durationMs, bytes: result.bytes, error: null })
          .where(eq(recordings.id, id))
          .run();
      } catch (error) {
        db.update(recordings)
          .set({ status: 'failed', error: (error as Error).message })
          .where(eq(recordings.id, id))
          .run();
      } finally {
        finalizing.delete(id);
        announce(id);
      }
    })();
    finalizing.set(id, entry);
    return entry.done;
  };

  /**
   * Recovery (issue 5): a row left `recording` or `finalizing` belongs to a run that died. What its `.part`
   * holds is finalized as it is and marked `recovered`, with the real duration of what was saved.
   */
  const recover = async () => {
    const orphans = db
      .select()
      .from(recordings)
      .where(inArray(recordings.status, ['recording', 'finalizing']))
      .all();
    for (const orphan of orphans) {
      if (active.has(orphan.id) || finalizing.has(orphan.id)) continue;
      const pauses = orphan.pauses.map((p) => (p.end === null ? { ...p, end: p.start } : p));
      db.update(recordings)
        .set({ status: 'finalizing', pauses, endedAt: orphan.endedAt ?? new Date(now()).toISOString() })
        .where(eq(recordings.id, orphan.id))
        .run();
      await finalize(orphan.id, orphan.ext, 'recovered');
    }
  };
  const recovery = recover();

  return {
    directory,
    events,
    /** Settles once the recordings a previous run left behind are recovered (tests and close wait on it). */
    recovery,

    async start(input: StartRecordingInput): Promise<RecordingView> {
      const container = containerFor(input.mime);
      if (!container) {
        throw new RecordingError('BAD_REQUEST', `Unsupported recording type "${input.mime}": use WebM.`);
      }
      const id = randomUUID();
      const startedAtMs = now();
      db.insert(recordings)
        .values({
          id,
          liveId: input.liveId ?? null,
          serverKey: input.liveId === undefined ? null : (input.serverKey ?? null),
          liveTitle: input.liveTitle ?? null,
          startedAt: new Date(startedAtMs).toISOString(),
          serverClockOffsetMs: input.serverClockOffsetMs ?? 0,
          mime: input.mime,
          ext: container.ext,
          status: 'recording',
        })
        .run();
      const scan = new RunningScan(paths(id, container.ext).part);
      const writer = await ChunkWriter.open(paths(id, container.ext).part, {
        ...(options.syncEveryMs !== undefined ? { syncEveryMs: options.syncEveryMs } : {}),
        onProgress: (progress) => {
          saveProgress.run(progress.bytes, progress.nextSeq, id);
          announce(id);
        },
        onDurable: (bytes) => {
          scan.durable(bytes);
          events.emit('durable', id, bytes);
        },
        // The WebM head gets reserved room, so that stopping is O(1) in the length (finalize-in-place.ts).
        head: { prepare: prepareRecordingHead, maxBytes: HEAD_WAIT_MAX_BYTES },
        onGap: (gap) => {
          const current = row(id);
          if (current) {
            db.update(recordings)
              .set({ gaps: [...current.gaps, gap] })
              .where(eq(recordings.id, id))
              .run();
          }
        },
      });
      active.set(id, { writer, scan, startedAtMs, pauses: [], markers: [] });
      announce(id);
      return view(id);
    },

    async chunk(id: string, seq: number, data: Uint8Array): Promise<ChunkResult> {
      const recording = activeOrThrow(id);
      const outcome = await recording.writer.accept(seq, data);
      return { outcome, ...recording.writer.progress };
    },

    pause(id: string): RecordingView {
      const recording = activeOrThrow(id);
      const last = recording.pauses.at(-1);
      if (!last || last.end !== null) {
        recording.pauses.push({ start: now(), end: null });
        db.update(recordings).set({ pauses: recording.pauses }).where(eq(recordings.id, id)).run();
      }
      announce(id);
      return view(id);
    },

    resume(id: string): RecordingView {
      const recording = activeOrThrow(id);
      const last = recording.pauses.at(-1);
      if (last && last.end === null) {
        last.end = now();
        db.update(recordings).set({ pauses: recording.pauses }).where(eq(recordings.id, id)).run();
      }
      announce(id);
      return view(id);
    },

    marker(id: string, label?: string): RecordingMarker {
      const recording = activeOrThrow(id);
      const at = now();
      const marker: RecordingMarker = {
        id: randomUUID(),
        at,
        videoMs: videoTimeAt(at, recording.startedAtMs, recording.pauses),
        label: label ?? null,
      };
      recording.markers.push(marker);
      db.update(recordings).set({ markers: recording.markers }).where(eq(recordings.id, id)).run();
      announce(id);
      return marker;
    },

    /**
     * Ends a recording: waits for its chunks up to `lastSeq`, closes the file and starts finalizing. Returns at
     * once with status `finalizing`; `onChange` reports progress and the final `ready`.
     */
    async stop(id: string, lastSeq?: number): Promise<RecordingView> {
      const recording = activeOrThrow(id);
      active.delete(id);
      const last = recording.pauses.at(-1);
      if (last && last.end === null) last.end = now();
      const progress = await recording.writer.close(lastSeq);
      const found = row(id);
      db.update(recordings)
        .set({
          status: 'finalizing',
          bytes: progress.bytes,
          nextSeq: progress.nextSeq,
          pauses: recording.pauses,
          endedAt: new Date(now()).toISOString(),
        })
        .where(eq(recordings.id, id))
        .run();
      void finalize(id, found?.ext ?? 'webm', 'ready', recording.scan);
      announce(id);
      return view(id);
    },

    /**
     * Resolves once what a running recording has synced so far is read for its finalization. A live's scan
     * trails its writer by about a second; the benchmark waits on this to stop its burst-written hour the same.
     */
    async scanned(id: string): Promise<void> {
      await activeOrThrow(id).scan.settled();
    },

    /** Resolves once a recording being finalized is done (immediately if it is not being finalized). */
    async whenFinalized(id: string): Promise<RecordingView> {
      await finalizing.get(id)?.done;
      return view(id);
    },

    get: view,

    list(): RecordingView[] {
      return db
        .select()
        .from(recordings)
        .all()
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
        .map(toView);
    },

    /** Deletes the file and the row. A recording still running or being finalized cannot be deleted. */
    async delete(id: string): Promise<void> {
      const found = row(id);
      if (!found) throw new RecordingError('NOT_FOUND', `No recording ${id}.`);
      if (active.has(id) || finalizing.has(id)) {
        throw new RecordingError(
          'CONFLICT',
          'Stop the recording (and let it finish saving) before deleting it.',
        );
      }
      const { final, part, temporary } = paths(id, found.ext);
      await Promise.all([final, part, temporary].map((file) => rm(file, { force: true })));
      db.delete(recordings).where(eq(recordings.id, id)).run();
    },

    /** The playable file of a finished recording, for the download/serve route; null when there is none. */
    fileFor(id: string): { path: string; mime: string } | null {
      const found = row(id);
      if (!found || (found.status !== 'ready' && found.status !== 'recovered')) return null;
      const { final } = paths(id, found.ext);
      return existsSync(final) ? { path: final, mime: found.mime.split(';')[0]! } : null;
    },

    /**
     * What of a recording may be uploaded now (src/host/server-copy): while it records, the bytes its chunk writer
     * synced; while it is finalized, nothing more (finalization rewrites and cuts the file); once finalized,
     * the whole file (`sealed`). Null for a recording that failed or no longer exists.
     */
    uploadableFile(id: string): { path: string; available: number; sealed: boolean } | null {
      const found = row(id);
      if (!found || found.status === 'failed') return null;
      const { final, part } = paths(id, found.ext);
      const running = active.get(id);
      if (running) return { path: part, available: running.writer.durableBytes, sealed: false };
      if ((found.status === 'ready' || found.status === 'recovered') && existsSync(final))
        return { path: final, available: statSync(final).size, sealed: true };
      return { path: part, available: 0, sealed: false };
    },

    /** Notes what the server holds of a recording (src/host/server-copy keeps it here, beside the file's own state). */
    saveUploadState(
      id: string,
      state: Partial<
        Pick<typeof recordings.$inferInsert, 'uploadState' | 'uploadedBytes' | 'uploadError' | 'uploadedAt'>
      >,
    ): void {
      db.update(recordings).set(state).where(eq(recordings.id, id)).run();
      announce(id);
    },

    /**
     * A recording downloaded from the server (another desktop made it): the caller writes its file here, then
     * adoptDownloaded takes it under the server's id, already `uploaded`, so that it replays offline.
     */
    downloadPath(id: string, ext: string): string {
      return paths(id, ext).part;
    },

    async adoptDownloaded(input: {
      id: string;
      ext: string;
      mime: string;
      liveId: number;
      serverKey: string;
      liveTitle: string;
      startedAt: string;
      serverClockOffsetMs: number;
      durationMs: number | null;
      bytes: number;
      pauses: RecordingPause[];
      markers: RecordingMarker[];
    }): Promise<RecordingView> {
      if (row(input.id)) throw new RecordingError('CONFLICT', 'This recording is already on this computer.');
      const { part, final } = paths(input.id, input.ext);
      await rename(part, final);
      const now = new Date().toISOString();
      db.insert(recordings)
        .values({
          id: input.id,
          liveId: input.liveId,
          serverKey: input.serverKey,
          liveTitle: input.liveTitle,
          startedAt: input.startedAt,
          serverClockOffsetMs: input.serverClockOffsetMs,
          mime: input.mime,
          ext: input.ext,
          bytes: input.bytes,
          durationMs: input.durationMs,
          status: 'ready',
          pauses: input.pauses,
          markers: input.markers,
          endedAt: now,
          uploadState: 'uploaded',
          uploadedBytes: input.bytes,
          uploadedAt: now,
        })
        .run();
      announce(input.id);
      return view(input.id);
    },

    /** The running upload's speed (bytes/s), or null once it stops: shown, not kept. */
    noteUploadSpeed(id: string, bytesPerSecond: number | null): void {
      if (bytesPerSecond === null) uploadSpeeds.delete(id);
      else uploadSpeeds.set(id, bytesPerSecond);
    },

    /**
     * Shutdown: running recordings are flushed and left `recording` (the next start recovers them, exactly as
     * after a crash); finalizations in progress are awaited.
     */
    async close(): Promise<void> {
      await recovery;
      await Promise.all(
        [...active.values()].map(async (recording) => {
          await recording.writer.abandon();
          await recording.scan.finish();
        }),
      );
      active.clear();
      await Promise.all([...finalizing.values()].map((entry) => entry.done));
      events.removeAllListeners();
    },
  };
}
