import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

/**
 * `npm start`'s script, spawned for real: without Electron's binary it says so in one sentence and serves the
 * studio to the browser (the URL it prints answers); with a binary it launches it on the app. ELECTRON_OVERRIDE_DIST_PATH
 * points the binary lookup at a folder we control, so the outcome does not depend on this machine.
 */
const root = join(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'cc-start-'));
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function start(distDir: string, extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: distDir,
      STUDIO_PORT: '0',
      STUDIO_DATA_DIR: mkdtempSync(join(scratch, 'data-')),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = output.match(pattern);
        if (match) {
          clearInterval(timer);
          resolve(match);
        } else if (Date.now() > deadline) {
          clearInterval(timer);
          reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`));
        }
      }, 20);
      const deadline = Date.now() + timeoutMs;
    });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, waitFor, exited, output: () => output };
}

describe('npm start', () => {
  it('without the Electron binary: one sentence why and how, then the browser studio at a URL that answers', async () => {
    const empty = mkdtempSync(join(scratch, 'no-electron-'));
    const run = start(empty);
    const [, url] = await run.waitFor(/ready: open (\S+)/);
    const lines = run
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines[0]).toMatch(
      /^CommuniConnect Studio: the Electron binary is not installed here .*npx install-electron.*browser/,
    );
    expect(lines[0]?.match(/\. /g) ?? []).toHaveLength(0); // one sentence, not a paragraph
    expect(lines[1]).toMatch(/^CommuniConnect Studio is ready: open http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(run.output()).not.toMatch(/^\s+at /m); // no stack trace
    expect(run.output()).not.toContain('Electron failed to install correctly');

    const page = await fetch(url!);
    const body = await page.text();
    if (existsSync(join(root, 'out', 'renderer', 'index.html'))) {
      expect(page.status).toBe(200);
      expect(body).toContain('<title>CommuniConnect Studio</title>');
    } else {
      // A fresh clone before `npm run build` (npm start builds first): the studio still answers, and says what to do.
      expect(page.status).toBe(503);
      expect(body).toContain('npm run build');
    }
  });

  it('with an Electron binary: launches it on the app, without ELECTRON_RUN_AS_NODE, and exits with its code', async () => {
    // A FAKE Electron binary (a shell script): it records how it was started, then exits 3.
    const dist = mkdtempSync(join(scratch, 'fake-electron-'));
    mkdirSync(dist, { recursive: true });
    const binary = join(dist, 'electron');
    writeFileSync(
      binary,
      [
        '#!/bin/sh',
        'echo "fake electron args=[$*] run_as_node=[$ELECTRON_RUN_AS_NODE] cwd=[$PWD]"',
        'exit 3',
        '',
      ].join('\n'),
    );
    chmodSync(binary, 0o755);
    const run = start(dist, { ELECTRON_RUN_AS_NODE: '1', STUDIO_SKIP_NATIVE_REBUILD: '1' });
    expect(await run.exited).toBe(3);
    expect(run.output()).toContain(`fake electron args=[.] run_as_node=[] cwd=[${root}]`);
    expect(run.output()).not.toContain('not installed');
  });
});
