import { TRPCClientError, type TRPCClient } from '@trpc/client';
import type { HostRouter } from '../../../host/routers/types';
import { KEYFRAME_INTERVAL_MS, QUALITY_PRESETS, type QualityPreset, TIMESLICE_MS } from './recorder-format';

export type SessionOptions = {
  client: TRPCClient<HostRouter>;
  stream: MediaStream;
  mimeType: string;
  preset: QualityPreset;
  liveId?: number | undefined;
  liveTitle?: string | undefined;
  /** Bytes the host has on disk, after each chunk it acknowledged. */
  onBytes(bytes: number): void;
  /** The host refused or could not be reached for good: recording has stopped. */
  onHostFailure(error: unknown): void;
};

/** Refusals that a retry cannot fix (the recording is gone or the chunk is bad). */
const FINAL_CODES = new Set(['CONFLICT', 'NOT_FOUND', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE']);
const MAX_ATTEMPTS = 20;

/**
 * One recording: a MediaRecorder whose ~1 s chunks go to the host in order, each with its sequence number,
 * one at a time (so the host applies backpressure and the order on the wire is the order on disk). A failed
 * send is retried with the same number — the host drops the duplicate if the first one did land.
 */
export class RecordingSession {
  readonly recorder: MediaRecorder;
  id: string | null = null;
  private seq = 0;
  private sending: Promise<void> = Promise.resolve();
  private failed = false;
  private activeSince: number | null = null;
  private activeMs = 0;
  /** Wall clock when MediaRecorder started (epoch ms), for the panel and tests that time a recording. */
  startedAt: number | null = null;

  constructor(private readonly options: SessionOptions) {
    const preset = QUALITY_PRESETS[options.preset];
    this.recorder = new MediaRecorder(options.stream, {
      mimeType: options.mimeType,
      videoBitsPerSecond: preset.videoBitsPerSecond,
      audioBitsPerSecond: 128_000,
      // Not yet in TypeScript's DOM types; Chromium ≥ 119 honours it.
      videoKeyFrameIntervalDuration: KEYFRAME_INTERVAL_MS,
    } as MediaRecorderOptions);
    this.recorder.ondataavailable = (event) => {
      if (event.data.size === 0 || this.failed) return;
      const seq = this.seq++;
      const blob = event.data;
      this.sending = this.sending.then(() => this.send(seq, blob));
    };
  }

  async start(): Promise<void> {
    const created = await this.options.client.recording.start.mutate({
      mime: this.options.mimeType,
      ...(this.options.liveId ? { liveId: this.options.liveId } : {}),
      ...(this.options.liveTitle ? { liveTitle: this.options.liveTitle } : {}),
    });
    this.id = created.id;
    this.recorder.start(TIMESLICE_MS);
    this.activeSince = performance.now();
    this.startedAt = Date.now();
  }

  /** Time recorded so far, pauses left out (what the file's duration will be). */
  elapsedMs(): number {
    return this.activeMs + (this.activeSince === null ? 0 : performance.now() - this.activeSince);
  }

  async pause(): Promise<void> {
    if (this.recorder.state !== 'recording' || !this.id) return;
    this.recorder.pause();
    this.activeMs = this.elapsedMs();
    this.activeSince = null;
    await this.options.client.recording.pause.mutate({ id: this.id });
  }

  async resume(): Promise<void> {
    if (this.recorder.state !== 'paused' || !this.id) return;
    this.recorder.resume();
    this.activeSince = performance.now();
    await this.options.client.recording.resume.mutate({ id: this.id });
  }

  async marker(): Promise<void> {
    if (!this.id || this.failed) return;
    await this.options.client.recording.marker.mutate({ id: this.id });
  }

  /** Stops the recorder, sends what it still holds, and asks the host to finalize. */
  async stop(): Promise<void> {
    this.activeMs = this.elapsedMs();
    this.activeSince = null;
    if (this.recorder.state !== 'inactive') {
      const stopped = new Promise<void>((done) => this.recorder.addEventListener('stop', () => done()));
      this.recorder.stop();
      await stopped; // the last dataavailable fires before stop
    }
    await this.sending;
    if (this.id && !this.failed) {
      await this.options.client.recording.stop.mutate({ id: this.id, lastSeq: this.seq - 1 });
    }
  }

  private async send(seq: number, blob: Blob): Promise<void> {
    if (this.failed || !this.id) return;
    const data = await toBase64(blob);
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.options.client.recording.chunk.mutate({ id: this.id, seq, data });
        this.options.onBytes(result.bytes);
        return;
      } catch (error) {
        const code =
          error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : null;
        if ((code && FINAL_CODES.has(code)) || attempt >= MAX_ATTEMPTS) {
          this.failed = true;
          if (this.recorder.state !== 'inactive') this.recorder.stop();
          this.options.onHostFailure(error);
          return;
        }
        // The socket reconnects on its own; the same sequence number makes the retry harmless.
        await new Promise((done) => setTimeout(done, Math.min(250 * attempt, 2_000)));
      }
    }
  }
}

/** The browser's own encoder (FileReader) is much faster than building a string in JavaScript. */
function toBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      // `data:video/webm;codecs=vp9,opus;base64,…`: the MIME type has a comma of its own, base64 has none.
      const url = reader.result as string;
      resolve(url.slice(url.lastIndexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
