import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopProcess, waitForLine } from './processes';

/**
 * The standalone chat server (`npm run server`) as a real process, on a fixed port and data directory so that
 * a test can stop it (offline) and start it again (back online) at the same address with the same data.
 */
export type ChatServerProcess = {
  url: string;
  port: number;
  dataDir: string;
  running(): boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startChatServerProcess(
  options: { dataDir?: string; databaseUrl?: string } = {},
): Promise<ChatServerProcess> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cc-server-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    const env: Record<string, string> = { ...process.env, PORT: String(port), DATA_DIR: dataDir } as Record<
      string,
      string
    >;
    if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
    else delete env.DATABASE_URL;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForLine(child, /chat server on (\S+)/, 60_000);
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child) await stopProcess(child, 'SIGTERM');
      child = null;
    },
    start,
  };
}
