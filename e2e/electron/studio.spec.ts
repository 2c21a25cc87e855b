import { readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  chatLog,
  createAccount,
  createLive,
  messageRow,
  type StudioUser,
  sendMessage,
} from '../support/studio-page';
import { uniqueEmail } from '../support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from '../support/studio-server';
import { ELECTRON_BINARY, launchStudio, NO_ELECTRON_REASON, type StudioApp } from './support';

/**
 * The core specs in the real Electron app (project "electron" in playwright.config.ts): the window's security
 * as the page sees it, then sign in, go live, chat, record 3 s, replay — over the IPC transport, not WebSocket.
 * Skipped, with the reason, where the Electron binary is absent.
 */
test.skip(!ELECTRON_BINARY, NO_ELECTRON_REASON);
// The list reporter shows a skip without its reason: say it once, in the run's output.
if (!ELECTRON_BINARY) console.info(`[electron] skipped: ${NO_ELECTRON_REASON}`);
test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let server: ChatServerProcess;
let studio: StudioApp;
const user: StudioUser = {
  first_name: 'Inès',
  last_name: 'Moreau',
  email: uniqueEmail('electron'),
  password: 'motdepasse-solide',
};
const LIVE_TITLE = 'Live dans Electron';

test.beforeAll(async () => {
  server = await startChatServerProcess();
  studio = await launchStudio({ STUDIO_SERVER_URL: server.url });
});

test.afterAll(async () => {
  await studio?.app.close();
  await server?.stop();
});

test('the window is the sandboxed app:// page, reaching the host over IPC only', async () => {
  const { window } = studio;
  expect(window.url()).toBe('app://studio/index.html');
  await expect(window).toHaveTitle('CommuniConnect Studio');
  // What the page's own scripts see (webPreferences themselves are pinned by src/main/security-options.test.ts).
  const seen = await window.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    bridge: Object.keys((globalThis as unknown as { studioBridge: object }).studioBridge).sort(),
  }));
  expect(seen).toEqual({ require: 'undefined', process: 'undefined', bridge: ['onMessage', 'send'] });
  // The renderer cannot reach the network itself (the host does): a fetch to the chat server is cancelled.
  const fetched = await window.evaluate(
    (url) =>
      fetch(`${url}/health`).then(
        () => 'reached',
        () => 'blocked',
      ),
    server.url,
  );
  expect(fetched).toBe('blocked');
  // Navigation away is refused.
  await window.evaluate(() => {
    globalThis.location.href = 'https://example.org/';
  });
  await window.waitForTimeout(300);
  expect(window.url()).toBe('app://studio/index.html');
});

test('sign in, go live and chat: the message is confirmed by the server', async () => {
  const { window } = studio;
  await expect(window.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  await createAccount(window, user);
  await createLive(window, LIVE_TITLE, 'Depuis l’application de bureau');
  await window.getByRole('button', { name: 'Démarrer le live' }).click();
  await expect(window.getByRole('button', { name: 'Terminer le live' })).toBeVisible();
  await sendMessage(window, 'Bonjour depuis Electron');
  await expect(messageRow(window, 'Bonjour depuis Electron')).toHaveAttribute('data-status', 'sent');
  await expect(chatLog(window).getByText('Bonjour depuis Electron')).toHaveCount(1);
});

test('record 3 s of the camera, then replay it from app://studio/recordings/', async () => {
  const { window, recordingsDir } = studio;
  await window.getByRole('button', { name: "Démarrer l'enregistrement" }).click();
  await window.waitForTimeout(3_000);
  await window.getByRole('button', { name: "Arrêter l'enregistrement" }).click();
  await expect
    .poll(() => readdirSync(recordingsDir).filter((name) => /\.(webm|mp4)$/.test(name)).length)
    .toBe(1);

  await window.getByRole('button', { name: 'Rediffusion' }).first().click();
  const video = window.locator('video[src^="app://studio/recordings/"]').first();
  await expect(video).toBeVisible();
  const duration = await video.evaluate(
    (element: HTMLVideoElement) =>
      new Promise<number>((resolve) => {
        if (Number.isFinite(element.duration) && element.duration > 0) resolve(element.duration);
        else element.addEventListener('loadedmetadata', () => resolve(element.duration), { once: true });
      }),
  );
  expect(duration).toBeGreaterThan(2);
  expect(duration).toBeLessThan(6);
});

test('quitting closes the host cleanly: the next start finds the account and the live', async () => {
  await studio.app.close();
  studio = await launchStudio({
    STUDIO_SERVER_URL: server.url,
    STUDIO_DATA_DIR: studio.dataDir,
    STUDIO_RECORDINGS_DIR: studio.recordingsDir,
  });
  await expect(studio.window.getByRole('button', { name: `Ouvrir le studio : ${LIVE_TITLE}` })).toBeVisible();
});
