import { open } from 'node:fs/promises';
import type { BandwidthCap } from './bandwidth-cap';

/** What of the recording may be read now (RecordingService.uploadableFile). */
export type UploadableFile = { path: string; available: number; sealed: boolean };

export type GrowingFileSourceOptions = {
  file: () => UploadableFile | null;
  /** Resolves when the file may have grown (a sync, the end of finalization) or after `ms`. */
  changed: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A part of a chunk is sent once it has waited this long: the server's copy lags by about this much. */
  flushAfterMs: number;
  cap: BandwidthCap;
  now?: () => number;
};

/** A Buffer as tus-js-client's sources hand them out (it reads `size`). */
type SizedBuffer = Buffer & { size: number };

/** The recording cannot be read for upload; `serverAhead`: the server holds more than the finalized file. */
export class RecordingUnavailable extends Error {
  constructor(
    message: string,
    readonly serverAhead = false,
  ) {
    super(message);
  }
}

/**
 * A tus-js-client file source over a recording that is still being written: a slice waits for its bytes to be
 * synced by the chunk writer, or sends what is there once it has waited `flushAfterMs`, so the server's copy
 * trails the local file by seconds, not by a chunk. It says `done` only once the recording is finalized and
 * every byte was read, which is when tus-js-client declares the length (creation-defer-length).
 */
export class GrowingFileSource {
  /** Not read: the length is deferred (tus-js-client learns it from the `done` slice). */
  readonly size = 0;
  readonly #closing = new AbortController();
  readonly #now: () => number;

  constructor(private readonly options: GrowingFileSourceOptions) {
    this.#now = options.now ?? Date.now;
  }

  async slice(start: number, end: number): Promise<{ value: SizedBuffer; done: boolean }> {
    const askedAt = this.#now();
    const signal = this.#closing.signal;
    for (;;) {
      if (signal.aborted) throw new Error('upload stopped');
      const file = this.options.file();
      if (!file) throw new RecordingUnavailable('the recording is gone or failed');
      if (file.sealed && start > file.available)
        throw new RecordingUnavailable('the server holds more than the finalized file', true);
      const ready =
        file.sealed ||
        file.available >= end ||
        (file.available > start && this.#now() - askedAt >= this.options.flushAfterMs);
      if (ready) {
        const to = Math.min(end, file.available);
        const value = await readRange(file.path, start, to).catch((error: NodeJS.ErrnoException) => {
          // Renamed from `.part` to its final name between the two calls: ask again.
          if (error.code === 'ENOENT') return null;
          throw error;
        });
        if (!value) continue;
        await this.options.cap.take(value.length, signal);
        return { value, done: file.sealed && to >= file.available };
      }
      await this.options.changed(Math.max(50, this.options.flushAfterMs / 4), signal);
    }
  }

  close(): void {
    this.#closing.abort();
  }
}

async function readRange(path: string, start: number, end: number): Promise<SizedBuffer> {
  const buffer = Buffer.alloc(Math.max(0, end - start)) as SizedBuffer;
  if (buffer.length > 0) {
    const handle = await open(path, 'r');
    try {
      let read = 0;
      while (read < buffer.length) {
        const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
        if (bytesRead === 0) throw new Error(`the recording file ends before byte ${start + read}`);
        read += bytesRead;
      }
    } finally {
      await handle.close();
    }
  }
  buffer.size = buffer.length;
  return buffer;
}
