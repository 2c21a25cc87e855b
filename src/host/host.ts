import { join } from 'node:path';
import { openHostDatabase, type HostDatabase } from './db/open';
import { createRecordingService, type RecordingService } from './recording/recording-service';

export type HostOptions = {
  dataDir: string;
  recordingsDir?: string | undefined;
  serverUrl?: string | undefined;
};

/**
 * The desktop core: owner of the local state (SQLite cache, recordings) and of the link to the chat server.
 * Runs in Electron's main process and, unchanged, as a plain Node process (`npm run host`).
 */
export type Host = {
  version: string;
  dataDir: string;
  database: HostDatabase;
  /** Recordings on this computer (src/host/recording). */
  recordings: RecordingService;
  close(): Promise<void>;
};

export const HOST_VERSION = '0.1.0';

export async function createHost(options: HostOptions): Promise<Host> {
  const database = openHostDatabase(options.dataDir);
  const recordings = createRecordingService({
    database,
    directory: options.recordingsDir ?? join(options.dataDir, 'recordings'),
  });
  return {
    version: HOST_VERSION,
    dataDir: options.dataDir,
    database,
    recordings,
    close: async () => {
      await recordings.close();
      database.close();
    },
  };
}
