import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

export const ELECTRON_BINARY = findElectronBinary();

/** Shown as the skip reason wherever the binary is missing (our build machines): these specs need the real app. */
export const NO_ELECTRON_REASON =
  'Electron binary not installed on this machine (its download needs GitHub): the Electron specs run where ' +
  '`npx install-electron` has fetched it; the same flows run in Chromium against `npm run host` here.';

const APP_ROOT = join(import.meta.dirname, '..', '..');

export type StudioApp = { app: ElectronApplication; window: Page; dataDir: string; recordingsDir: string };

/**
 * Launches the built app (`npm run build` first; `npm start` rebuilds better-sqlite3 for Electron) with its own
 * data and recordings folders, the fake camera and microphone, and optionally a preselected chat server.
 */
export async function launchStudio(env: Record<string, string> = {}): Promise<StudioApp> {
  if (!ELECTRON_BINARY) throw new Error(NO_ELECTRON_REASON);
  const dataDir = env.STUDIO_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'cc-electron-data-'));
  const recordingsDir = env.STUDIO_RECORDINGS_DIR ?? mkdtempSync(join(tmpdir(), 'cc-electron-recordings-'));
  const app = await _electron.launch({
    executablePath: ELECTRON_BINARY,
    args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', APP_ROOT],
    cwd: APP_ROOT,
    env: {
      ...(process.env as Record<string, string>),
      ...env,
      STUDIO_DATA_DIR: dataDir,
      STUDIO_RECORDINGS_DIR: recordingsDir,
    },
  });
  const window = await app.firstWindow();
  await window.waitForLoadState('domcontentloaded');
  return { app, window, dataDir, recordingsDir };
}
