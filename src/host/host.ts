import { openHostDatabase, type HostDatabase } from './db/open';

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
  close(): Promise<void>;
};

export const HOST_VERSION = '0.1.0';

export async function createHost(options: HostOptions): Promise<Host> {
  const database = openHostDatabase(options.dataDir);
  return {
    version: HOST_VERSION,
    dataDir: options.dataDir,
    database,
    close: async () => {
      database.close();
    },
  };
}
