import { spawn } from 'node:child_process';

type HostScriptExit = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
};

/**
 * Runs a host script (tsx) in its own process until it exits — for the crash tests, where the script kills
 * itself at a test seam (`env`) and the test then reopens what it left on disk.
 */
export function runHostScript(script: string, args: string[], env: Record<string, string>) {
  return new Promise<HostScriptExit>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
