import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  EXTENSION_BY_CONTAINER,
  SIGNATURE_BYTES,
  type VideoContainer,
  videoContainerOf,
} from './video-signature';

/** The bytes are not a WebM, MP4 or QuickTime file, whatever their declared type. */
export class NotAVideo extends Error {}
/** More bytes than the caller may store (file limit or quota). */
export class TooLarge extends Error {}

export type StoredFile = { key: string; size: number; sha256: string; container: VideoContainer };

/**
 * Recording files under one directory (`DATA_DIR/recordings` by default). A file is written as `<id>.part` and
 * renamed to its final name only once complete, checked and hashed: a crash or a refusal half-way leaves no
 * file that looks finished, and the `.part` is removed on every refusal.
 */
export class RecordingFileStore {
  constructor(readonly dir: string) {}

  /** Where the tus uploads are kept (`tus/<id>`, beside their `.json` state), under the same directory. */
  get uploadsDir(): string {
    return join(this.dir, 'tus');
  }

  pathOf(key: string): string {
    if (/^tus\/[0-9a-f-]{36}$/.test(key)) return join(this.dir, key);
    if (!/^[0-9a-f-]{36}\.(webm|mp4|mov)$/.test(key)) throw new Error(`not a recording key: ${key}`);
    return join(this.dir, key);
  }

  async sizeOf(key: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch {
      return null;
    }
  }

  /** Stores a whole file from `source`, refusing non-video bytes and anything over `maxBytes`. */
  async receive(source: Readable, maxBytes: number): Promise<StoredFile> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const id = randomUUID();
    const partPath = join(this.dir, `${id}.part`);
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    let container: VideoContainer | null = null;
    const check = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new TooLarge(`larger than ${maxBytes} bytes`));
        if (!container && head.length < SIGNATURE_BYTES) {
          head = Buffer.concat([head, chunk.subarray(0, SIGNATURE_BYTES - head.length)]);
          if (head.length >= SIGNATURE_BYTES) {
            container = videoContainerOf(head);
            if (!container) return done(new NotAVideo('not a WebM, MP4 or QuickTime file'));
          }
        }
        hash.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        if (!container) container = videoContainerOf(head);
        done(container ? null : new NotAVideo('not a WebM, MP4 or QuickTime file'));
      },
    });
    try {
      await pipeline(source, check, createWriteStream(partPath, { mode: 0o600 }));
      const key = `${id}.${EXTENSION_BY_CONTAINER[container!]}`;
      await rename(partPath, join(this.dir, key));
      return { key, size, sha256: hash.digest('hex'), container: container! };
    } catch (error) {
      await rm(partPath, { force: true });
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
