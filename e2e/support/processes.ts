import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Spawns `npm run host`'s entry as a real process and waits for the line that carries its URL. */
export type StudioProcess = {
  url: string;
  dataDir: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/** The host's entry: its TypeScript through tsx (`npm run host`), or the bundle `npm run build` makes (`npm start`). */
export type StudioEntry = 'source' | 'built';
const ENTRY_ARGS: Record<StudioEntry, string[]> = {
  source: ['--import', 'tsx', 'src/host/web.ts'],
  built: ['out/main/web.js'],
};

export async function startStudioHost(
  env: Record<string, string> = {},
  entry: StudioEntry = 'source',
): Promise<StudioProcess> {
  const dataDir = env.STUDIO_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'cc-studio-'));
  const child = spawn(process.execPath, ENTRY_ARGS[entry], {
    env: { ...process.env, STUDIO_PORT: '0', ...env, STUDIO_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // What the host says goes to the runner's stderr when asked: the first thing to read when a spec fails.
  if (process.env.E2E_HOST_LOG) child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const url = await waitForLine(child, /ready: open (\S+)/, 30_000);
  return {
    url,
    dataDir,
    child,
    stop: (signal = 'SIGTERM') => stopProcess(child, signal),
  };
}

export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before ${pattern}; output:\n${output}`));
    });
  });
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
