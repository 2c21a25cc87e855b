import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary.mjs';

/**
 * The Playwright project "electron" exists and, on a machine without the Electron binary, reports every spec as
 * skipped with the reason (rather than failing, or silently running nothing). Where the binary exists, the
 * project runs for real in `npm run test:e2e` and this check has nothing to say.
 */
const root = join(import.meta.dirname, '..');

type JsonSpec = {
  title: string;
  tests: { status: string; annotations: { type: string; description?: string }[] }[];
};
type JsonSuite = { specs?: JsonSpec[]; suites?: JsonSuite[] };

function specsOf(suite: JsonSuite): JsonSpec[] {
  return [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(specsOf)];
}

describe('the Electron e2e project', () => {
  it.skipIf(findElectronBinary() !== null)(
    'is listed, and skipped with its reason when the binary is absent',
    () => {
      const run = spawnSync(
        process.execPath,
        [
          join(root, 'node_modules', '@playwright', 'test', 'cli.js'),
          'test',
          '--project',
          'electron',
          '--reporter=json',
          // Its own output folder: Playwright empties it at start, and test-results/ may belong to a running e2e.
          '--output',
          mkdtempSync(join(tmpdir(), 'cc-pw-electron-')),
        ],
        { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: '' } },
      );
      expect(run.status, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as {
        suites: JsonSuite[];
        stats: { expected: number; skipped: number; unexpected: number };
      };
      const specs = report.suites.flatMap(specsOf);
      expect(specs.map((spec) => spec.title)).toEqual(
        expect.arrayContaining([
          'sign in, go live and chat: the message is confirmed by the server',
          'record 3 s of the camera, then replay it from app://studio/recordings/',
        ]),
      );
      expect(report.stats).toMatchObject({ expected: 0, unexpected: 0, skipped: specs.length });
      for (const spec of specs) {
        const skip = spec.tests[0]?.annotations.find((annotation) => annotation.type === 'skip');
        expect(skip?.description, spec.title).toMatch(/^Electron binary not installed on this machine/);
      }
    },
  );
});
