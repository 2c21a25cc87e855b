import { join } from 'node:path';
import type { SecretBox } from '../host/db/secret-box';
import { createHost, type Host } from '../host/host';

/**
 * The host (desktop core) runs inside the main process.
 *
 * Measured, not guessed (`node --import tsx scripts/measure-host-blocking.ts`, this 2-core shared build machine):
 * a durable chat insert (SQLite, synchronous=FULL) blocks 1.1 ms p50 / 8 ms p99; a 500-event sync pull in one
 * transaction 2.4 ms p50 / 12 ms max; streaming 60 MB of recording chunks (async fs) beside chat inserts keeps the
 * event-loop delay at 8 ms p99 / 11 ms max. All stay under one 16 ms frame, and the window keeps painting anyway
 * (the renderer is its own process; only IPC and input routing wait on main). So: main process, one copy of the
 * state, no second IPC hop. Move the host to a `utilityProcess` (same createHost, the ipc-adapter fed by a
 * MessagePort) if a future job does long synchronous CPU work on this thread — e.g. finalizing a recording must
 * stay streaming/async, or go to a worker.
 */

export type HostPaths = { dataDir: string; recordingsDir: string; serverUrl: string | undefined };

type PathsApp = { getPath(name: 'userData' | 'videos'): string };

/**
 * Data in the OS's per-user app data folder; recordings in the user's Videos folder, where people look for them.
 * STUDIO_DATA_DIR / STUDIO_RECORDINGS_DIR / STUDIO_SERVER_URL override them as for `npm run host` (the Electron
 * e2e specs give each test its own data folder this way).
 */
export function hostPaths(app: PathsApp, env: NodeJS.ProcessEnv = process.env): HostPaths {
  return {
    dataDir: env.STUDIO_DATA_DIR || app.getPath('userData'),
    recordingsDir: env.STUDIO_RECORDINGS_DIR || join(app.getPath('videos'), 'CommuniConnect'),
    serverUrl: env.STUDIO_SERVER_URL || undefined,
  };
}

export function startHost(paths: HostPaths, secretBox?: SecretBox): Promise<Host> {
  return createHost({
    dataDir: paths.dataDir,
    recordingsDir: paths.recordingsDir,
    serverUrl: paths.serverUrl,
    secretBox,
  });
}

type QuitApp = {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
  exit(code?: number): void;
};

/** Longest we wait for the host to finish the recording being written and flush its state before exiting. */
export const QUIT_GRACE_MS = 30_000;

/**
 * Graceful quit: the first quit is held until `host.close()` has finished the recording being written and
 * flushed the outbox state; then the app really quits. A host that hangs does not keep the app alive forever
 * (the recording stays recoverable: chunks are crash-safe).
 */
export function installGracefulQuit(app: QuitApp, close: () => Promise<void>, graceMs = QUIT_GRACE_MS): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    void Promise.race([close().then(() => 'closed' as const), deadline])
      .then((outcome) => {
        if (outcome === 'timeout')
          console.error(`The host did not close within ${graceMs} ms; quitting anyway.`);
      })
      .catch((error: unknown) => console.error('The host failed to close cleanly:', error))
      .finally(() => {
        clearTimeout(timer);
        state = 'closed';
        app.quit();
      });
  });
}
