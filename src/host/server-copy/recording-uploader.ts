import { type DetailedError, Upload } from 'tus-js-client';
import { TUS_UPLOADS_PATH } from '../../shared/recording-upload';
import type { RecordingService } from '../recording/recording-service';
import type { RecordingView } from '../recording/recording-view';
import { type Credentials, createRenewingFetch } from '../server-link/renewing-fetch';
import { type BackoffOptions, backoffDelay } from '../sync/backoff';
import type { SyncTarget } from '../sync/engine';
import { BandwidthCap } from './bandwidth-cap';
import { finalizedPatches } from './finalized-patches';
import { GrowingFileSource, RecordingUnavailable } from './growing-file-source';
import { serverBase, serverMessage, sha256OfFile } from './server-calls';
import type { UploadPreferences } from './upload-settings';

export type RecordingUploaderOptions = {
  recordings: RecordingService;
  preferences: UploadPreferences;
  /** The chat server chosen now: a recording goes to the server of its live, when that one is chosen. */
  target: () => SyncTarget | null;
  credentials: (target: SyncTarget) => Credentials;
  /** Bytes per PATCH (default 8 MiB; one second's worth when a cap is set). */
  chunkBytes?: number;
  /** How long durable bytes wait for more before they are sent anyway: the server's lag (default 4 s). */
  flushAfterMs?: number;
  backoff?: BackoffOptions;
};

const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const UPLOAD_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 60_000 };

type Outcome =
  | { kind: 'sent' }
  | { kind: 'stopped' }
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'restart'; message: string }
  | { kind: 'unavailable'; message: string };

/**
 * Sends this computer's recordings to the server of their live, over tus (design §3): while a live records,
 * what the chunk writer synced goes out within seconds; recordings made offline follow, oldest first, once
 * their server is chosen and reachable. The upload is named after the recording, so a restart — of the host or
 * of the server — resumes it from the server's offset and never makes a second one. After finalization the
 * server lays the rewritten bytes over its copy and accepts it only if its SHA-256 is the local file's.
 *
 * One upload at a time, the live's first: the upload must never take what the live itself needs.
 */
export class RecordingUploader {
  readonly #o: RecordingUploaderOptions;
  readonly #cap: BandwidthCap;
  readonly #requested = new Set<string>();
  readonly #retryAt = new Map<string, { at: number; attempt: number }>();
  #wake: (() => void) | null = null;
  #current: { id: string; target: SyncTarget; stop: () => void } | null = null;
  #loop: Promise<void> | null = null;
  #closed = false;
  readonly #unsubscribe: Array<() => void> = [];

  constructor(options: RecordingUploaderOptions) {
    this.#o = options;
    this.#cap = new BandwidthCap(() => options.preferences.bytesPerSecond());
  }

  start(): void {
    if (this.#loop) return;
    const kick = () => this.kick();
    this.#o.recordings.events.on('change', kick);
    this.#o.recordings.events.on('durable', kick);
    this.#unsubscribe.push(
      () => this.#o.recordings.events.off('change', kick),
      () => this.#o.recordings.events.off('durable', kick),
      this.#o.preferences.onChange(kick),
    );
    this.#loop = this.#run();
  }

  kick(): void {
    this.#wake?.();
  }

  /** "Retry" or "Upload now" in the library: a failed upload starts again (from where the server is). */
  retry(id: string): RecordingView {
    const view = this.#o.recordings.get(id);
    if (view.upload_state === 'failed')
      this.#o.recordings.saveUploadState(id, {
        uploadState: view.uploaded_bytes > 0 ? 'uploading' : 'local',
        uploadError: null,
      });
    this.#requested.add(id);
    this.#retryAt.delete(id);
    this.kick();
    return this.#o.recordings.get(id);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#current?.stop();
    this.kick();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      const next = this.#pick();
      if (!next) {
        await this.#idle(5_000);
        continue;
      }
      const outcome = await this.#uploadOnce(next);
      await this.#settle(next, outcome);
    }
  }

  #idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }

  /** The next recording to send: the one recording now first, then the oldest. */
  #pick(): { view: RecordingView; target: SyncTarget } | null {
    const target = this.#o.target();
    if (!target) return null;
    const auto = this.#o.preferences.current().auto;
    const now = Date.now();
    const waiting = this.#o.recordings
      .list()
      .filter(
        (view) =>
          view.live_id !== null &&
          view.server_key === target.serverKey &&
          (view.upload_state === 'local' || view.upload_state === 'uploading') &&
          view.status !== 'failed' &&
          (auto || this.#requested.has(view.id)) &&
          (this.#retryAt.get(view.id)?.at ?? 0) <= now,
      )
      .sort((a, b) => {
        const live = Number(b.status === 'recording') - Number(a.status === 'recording');
        return live || a.started_at.localeCompare(b.started_at);
      });
    const view = waiting[0];
    if (!view) {
      const soonest = Math.min(...[...this.#retryAt.values()].map((retry) => retry.at));
      if (Number.isFinite(soonest)) setTimeout(() => this.kick(), Math.max(0, soonest - now)).unref();
      return null;
    }
    return { view, target };
  }

  /** One session of one recording's upload: until it is sent, refused, cut, or stopped. */
  async #uploadOnce({ view, target }: { view: RecordingView; target: SyncTarget }): Promise<Outcome> {
    const { recordings } = this.#o;
    const credentials = this.#o.credentials(target);
    const endpoint = `${serverBase(target)}${TUS_UPLOADS_PATH}`;
    const capped = this.#o.preferences.bytesPerSecond();
    const chunkSize = Math.min(this.#o.chunkBytes ?? DEFAULT_CHUNK_BYTES, capped ?? Number.POSITIVE_INFINITY);
    const source = new GrowingFileSource({
      file: () => recordings.uploadableFile(view.id),
      changed: (ms, signal) => this.#changed(view.id, ms, signal),
      flushAfterMs: this.#o.flushAfterMs ?? 4_000,
      cap: this.#cap,
    });
    let renewed = false;
    const sessionStart = { at: Date.now(), bytes: view.uploaded_bytes };

    const sent = await new Promise<Outcome>((resolve) => {
      const upload = new Upload(Buffer.alloc(0), {
        endpoint,
        // Named after the recording: a HEAD finds the server's offset; a 404 creates it under the same id.
        uploadUrl: `${endpoint}/${view.id}`,
        uploadLengthDeferred: true,
        chunkSize,
        retryDelays: [],
        storeFingerprintForResuming: false,
        fileReader: { openFile: async () => source },
        metadata: {
          live_id: String(view.live_id),
          recording_id: view.id,
          filetype: view.mime.split(';')[0]!,
          filename: `${view.id}.${view.ext}`,
          started_at: view.started_at,
        },
        onBeforeRequest: (req) => {
          const token = credentials.token();
          if (token) req.setHeader('Authorization', `Bearer ${token}`);
        },
        onChunkComplete: (_chunk, accepted) => {
          const seconds = (Date.now() - sessionStart.at) / 1000;
          recordings.saveUploadState(view.id, { uploadState: 'uploading', uploadedBytes: accepted });
          recordings.noteUploadSpeed(
            view.id,
            seconds > 0 ? Math.max(0, accepted - sessionStart.bytes) / seconds : null,
          );
        },
        onSuccess: () => resolve({ kind: 'sent' }),
        onError: (error) => {
          // tus-js-client wraps what the source threw (DetailedError.causingError).
          const cause = (error as DetailedError).causingError ?? error;
          if (cause instanceof RecordingUnavailable)
            return resolve({ kind: cause.serverAhead ? 'restart' : 'unavailable', message: cause.message });
          const response = (error as DetailedError).originalResponse;
          const status = response?.getStatus() ?? 0;
          if (status === 401 && !renewed && credentials.renew) {
            renewed = true;
            void credentials.renew().then((token) => {
              if (token) upload.start();
              else
                resolve({
                  kind: 'refused',
                  status,
                  message: 'Reconnectez-vous pour envoyer vos enregistrements.',
                });
            });
            return;
          }
          if (status >= 400 && status < 500 && status !== 409 && status !== 423)
            return resolve({ kind: 'refused', status, message: serverMessage(response?.getBody(), error) });
          resolve({ kind: 'unreachable', message: error.message });
        },
      });
      this.#current = {
        id: view.id,
        target,
        stop: () => {
          void upload.abort(false);
          source.close();
          resolve({ kind: 'stopped' });
        },
      };
      upload.start();
    });
    source.close();
    this.#current = null;
    recordings.noteUploadSpeed(view.id, null);
    if (sent.kind !== 'sent') return sent;
    return this.#complete(view.id, target, credentials);
  }

  /** Wakes a waiting slice when the file may have grown, and stops the upload when its server is no longer chosen. */
  async #changed(id: string, ms: number, signal: AbortSignal): Promise<void> {
    const target = this.#o.target();
    const current = this.#current;
    if (current?.id === id && (!target || target.serverKey !== current.target.serverKey)) current.stop();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#o.recordings.events.off('durable', onDurable);
        this.#o.recordings.events.off('change', onChange);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const onDurable = (durableId: string) => durableId === id && done();
      const onChange = (view: RecordingView) => view.id === id && view.status !== 'recording' && done();
      const timer = setTimeout(done, ms);
      this.#o.recordings.events.on('durable', onDurable);
      this.#o.recordings.events.on('change', onChange);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Every byte is on the server: it checks them against the finalized file's SHA-256 and patches. */
  async #complete(id: string, target: SyncTarget, credentials: Credentials): Promise<Outcome> {
    const file = this.#o.recordings.uploadableFile(id);
    const view = this.#o.recordings.get(id);
    if (!file?.sealed) return { kind: 'unavailable', message: 'the recording is not finalized' };
    const [sha256, patches] = await Promise.all([sha256OfFile(file.path), finalizedPatches(file.path)]);
    const fetchSigned = createRenewingFetch(credentials, 120_000);
    let response: Response;
    try {
      response = await fetchSigned(`${serverBase(target)}/api/recordings/${id}/complete/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          sha256,
          patches,
          duration_ms: view.duration_ms,
          clock_offset_ms: Math.round(view.server_clock_offset_ms),
          timeline: { pauses: view.pauses, markers: view.markers },
        }),
      });
    } catch (error) {
      return { kind: 'unreachable', message: (error as Error).message };
    }
    const text = await response.text();
    if (response.ok) {
      this.#o.recordings.saveUploadState(id, {
        uploadState: 'uploaded',
        uploadedBytes: file.available,
        uploadError: null,
        uploadedAt: new Date().toISOString(),
      });
      return { kind: 'sent' };
    }
    if (response.status === 409) return { kind: 'restart', message: serverMessage(text) };
    if (response.status >= 500) return { kind: 'unreachable', message: `server error ${response.status}` };
    return { kind: 'refused', status: response.status, message: serverMessage(text) };
  }

  /** What an outcome means for the recording's state and for when it is tried next. */
  async #settle(
    { view, target }: { view: RecordingView; target: SyncTarget },
    outcome: Outcome,
  ): Promise<void> {
    const { recordings } = this.#o;
    // Why an upload stopped short goes to the log: the library shows only the last reason.
    if (outcome.kind !== 'sent' && outcome.kind !== 'stopped')
      console.warn(`recording upload ${view.id}: ${outcome.kind}: ${outcome.message}`);
    if (outcome.kind === 'sent' && recordings.get(view.id).upload_state === 'uploaded') {
      this.#requested.delete(view.id);
      this.#retryAt.delete(view.id);
      return;
    }
    if (outcome.kind === 'sent' || outcome.kind === 'stopped') return;
    if (outcome.kind === 'refused' || outcome.kind === 'unavailable') {
      this.#requested.delete(view.id);
      recordings.saveUploadState(view.id, { uploadState: 'failed', uploadError: outcome.message });
      return;
    }
    const previous = this.#retryAt.get(view.id)?.attempt ?? 0;
    if (outcome.kind === 'restart') {
      // The server's copy cannot become the local file (finalized by a full remux, or cut shorter than what
      // was sent): it is abandoned and the whole file sent again — once; a second mismatch is a failure.
      if (previous >= 1) {
        recordings.saveUploadState(view.id, { uploadState: 'failed', uploadError: outcome.message });
        return;
      }
      // Gone from the server before the next try, or its HEAD would find the old copy again.
      await this.#abandon(view.id, target);
      recordings.saveUploadState(view.id, { uploadState: 'local', uploadedBytes: 0 });
      this.#retryAt.set(view.id, { at: Date.now(), attempt: previous + 1 });
      return;
    }
    // Unreachable: the server is down or the network is gone; the state stays, the next try waits longer.
    const attempt = previous + 1;
    this.#retryAt.set(view.id, {
      at: Date.now() + backoffDelay(attempt, this.#o.backoff ?? UPLOAD_BACKOFF),
      attempt,
    });
    recordings.saveUploadState(view.id, { uploadError: outcome.message });
  }

  async #abandon(id: string, target: SyncTarget): Promise<void> {
    const fetchSigned = createRenewingFetch(this.#o.credentials(target), 30_000);
    await fetchSigned(`${serverBase(target)}${TUS_UPLOADS_PATH}/${id}`, {
      method: 'DELETE',
      headers: { 'tus-resumable': '1.0.0' },
    }).catch(() => undefined);
  }
}
