import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, expect, type Page, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { CHROMIUM_ARGS, chromiumExecutable } from './support/chromium';
import { startStudioHost, type StudioProcess } from './support/processes';
import { decodeErrors, decodeFrameAt, hasCues, probeRecording } from './support/recording-files';
import { createAccount, createLive, type StudioUser } from './support/studio-page';
import { uniqueEmail } from './support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from './support/studio-server';

/**
 * Recording in Chromium with the fake camera and microphone, against a real `npm run host` process whose
 * files are then checked with ffprobe/ffmpeg. Serial: one host, one account, one live, as an evening goes.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const LIVE_TITLE = 'Live enregistré';
let server: ChatServerProcess;
let studio: StudioProcess;
let page: Page;
const user: StudioUser = {
  first_name: 'Awa',
  last_name: 'Koné',
  email: uniqueEmail('enregistre'),
  password: 'motdepasse-solide',
};

const startButton = (p: Page) => p.getByRole('button', { name: "Démarrer l'enregistrement" });
const stopButton = (p: Page) => p.getByRole('button', { name: "Arrêter l'enregistrement" });
const recordingRows = (p: Page) => p.locator('.recordings-list > li');

async function startHost(dataDir?: string) {
  studio = await startStudioHost({
    STUDIO_SERVER_URL: server.url,
    ...(dataDir ? { STUDIO_DATA_DIR: dataDir } : {}),
  });
}

/** The studio remembers the account: after a (re)start the lives list shows, and the live opens the Studio. */
async function openStudio(p: Page) {
  await p.goto(studio.url);
  await p.getByRole('button', { name: `Ouvrir le studio : ${LIVE_TITLE}` }).click();
  await expect(p.getByRole('region', { name: 'Enregistreur' })).toBeVisible();
}

function recordingFile(id: string) {
  return join(studio.dataDir, 'recordings', `${id}.webm`);
}

test.beforeAll(async ({ browser }) => {
  server = await startChatServerProcess();
  await startHost();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(studio.url);
  await createAccount(page, user);
  await createLive(page, LIVE_TITLE);
  await expect(page.getByRole('region', { name: 'Enregistreur' })).toBeVisible();
});

test.afterAll(async () => {
  await page?.close();
  await studio?.stop();
  await server?.stop();
});

test('records 5 s of the fake camera into a seekable WebM with video, audio and the right duration', async () => {
  await expect(startButton(page)).toBeEnabled();
  await expect(page.getByLabel('Niveau du micro')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('recording-panel-idle.png'), fullPage: true });

  await startButton(page).click();
  await expect(stopButton(page)).toBeVisible();
  await page.getByRole('button', { name: 'Marqueur' }).click();
  await page.keyboard.press('m');
  await expect(page.getByTestId('recorder-markers')).toHaveText('2');
  // Stop exactly 5 s after MediaRecorder started, timed inside the page: Playwright's own click waits for
  // actionability, which on a loaded machine adds a variable few hundred ms.
  await page.evaluate(async () => {
    const panel = document.querySelector<HTMLElement>('[data-started-at]');
    const startedAt = Number(panel?.dataset.startedAt);
    await new Promise((done) => setTimeout(done, startedAt + 5_000 - Date.now()));
    const stop = Array.from(document.querySelectorAll('button')).find(
      (b) => b.textContent === "Arrêter l'enregistrement",
    );
    stop?.click();
  });

  const row = recordingRows(page).first();
  await expect(row.getByTestId('recording-status')).toHaveText('Prêt', { timeout: 20_000 });
  await expect(row).toContainText(LIVE_TITLE);
  await expect(row).toContainText('2 marqueurs');
  expect(Number(await page.getByTestId('recorder-bytes').getAttribute('data-bytes'))).toBeGreaterThan(10_000);
  await page.screenshot({ path: test.info().outputPath('recording-panel-ready.png'), fullPage: true });

  const id = (await row.getAttribute('data-recording-id'))!;
  const file = recordingFile(id);
  expect(existsSync(`${file}.part`)).toBe(false);
  const info = probeRecording(file);
  expect(info.streams).toEqual(['audio', 'video']);
  expect(Math.abs(info.durationS - 5)).toBeLessThanOrEqual(0.5);
  expect(hasCues(readFileSync(file))).toBe(true);
  expect(decodeErrors(file)).toBe('');
  // ffprobe seeks to 3 s through the index and decodes a frame from the keyframe before it (keyframes every 2 s).
  const frameAt = decodeFrameAt(file, 3);
  expect(frameAt).toBeGreaterThan(1);
  expect(frameAt).toBeLessThanOrEqual(3.05);

  // The browser's own <video> plays the file served by the host (Range requests) and seeks to 3 s.
  const token = new URL(studio.url).searchParams.get('token')!;
  const seek = await page.evaluate(
    async (src) => {
      const video = document.createElement('video');
      video.muted = true;
      video.src = src;
      await new Promise((resolve, reject) => {
        video.onloadedmetadata = resolve;
        video.onerror = () => reject(new Error(`video error ${video.error?.code}`));
      });
      const duration = video.duration;
      video.currentTime = 3;
      await new Promise((resolve) => {
        video.onseeked = resolve;
      });
      return { duration, currentTime: video.currentTime, readyState: video.readyState };
    },
    `/recordings/${id}?token=${encodeURIComponent(token)}`,
  );
  expect(Math.abs(seek.duration - 5)).toBeLessThanOrEqual(0.5);
  expect(seek.currentTime).toBeCloseTo(3, 1);
  expect(seek.readyState).toBeGreaterThanOrEqual(2);
});

test('a host killed (SIGKILL) 4 s into a recording recovers the file at its next start', async () => {
  await startButton(page).click();
  await expect(stopButton(page)).toBeVisible();
  await expect(page.getByTestId('recorder-elapsed')).toHaveText('00:00:04', { timeout: 10_000 });
  await page.screenshot({ path: test.info().outputPath('recording-panel-recording.png'), fullPage: true });
  const dataDir = studio.dataDir;
  studio.child.kill('SIGKILL');
  await new Promise((done) => studio.child.once('exit', done));

  await startHost(dataDir);
  await openStudio(page);
  const row = recordingRows(page).filter({ hasText: 'Récupéré' });
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  const id = (await row.getAttribute('data-recording-id'))!;
  const file = recordingFile(id);
  const info = probeRecording(file);
  expect(info.streams).toEqual(['audio', 'video']);
  expect(info.durationS).toBeGreaterThanOrEqual(2.5);
  expect(decodeErrors(file)).toBe('');
  await page.screenshot({ path: test.info().outputPath('recording-panel-recovered.png'), fullPage: true });
});

test('deleting a recording asks for confirmation, then removes the file and the row', async () => {
  const rows = recordingRows(page);
  const before = await rows.count();
  const row = rows.first();
  const id = (await row.getAttribute('data-recording-id'))!;
  await row.getByRole('button', { name: 'Supprimer' }).click();
  await row.getByRole('button', { name: 'Confirmer la suppression' }).click();
  await expect(rows).toHaveCount(before - 1);
  expect(existsSync(recordingFile(id))).toBe(false);
});

test('camera permission denied: a clear message, and nothing recorded', async () => {
  // A Chromium without the flag that auto-accepts the permission prompt, and no permission granted: the
  // prompt is dismissed, as when the user clicks "Block".
  let denied: Browser | null = null;
  try {
    denied = await chromium.launch({
      executablePath: chromiumExecutable(),
      args: CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
    });
    const context = await denied.newContext({ permissions: [] });
    const other = await context.newPage();
    await openStudio(other);
    const alert = other.getByRole('alert').filter({ hasText: 'refusé' });
    await expect(alert).toContainText("L'accès à la caméra ou au micro est refusé");
    await expect(alert.getByRole('button', { name: 'Réessayer' })).toBeVisible();
    await expect(startButton(other)).toBeDisabled();
    await other.screenshot({ path: test.info().outputPath('recording-panel-denied.png'), fullPage: true });
  } finally {
    await denied?.close();
  }
});

test('pause and resume: the file holds only the time recorded, and the pause is stored with its wall clock', async () => {
  const wallStart = Date.now();
  await startButton(page).click();
  await expect(stopButton(page)).toBeVisible();
  await page.waitForTimeout(1_500);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Reprendre' })).toBeVisible();
  await page.waitForTimeout(2_500);
  await page.getByRole('button', { name: 'Reprendre' }).click();
  await page.waitForTimeout(1_500);
  await stopButton(page).click();
  const wallSeconds = (Date.now() - wallStart) / 1000;

  const row = recordingRows(page).first();
  await expect(row.getByTestId('recording-status')).toHaveText('Prêt', { timeout: 20_000 });
  const id = (await row.getAttribute('data-recording-id'))!;
  const { durationS } = probeRecording(recordingFile(id));
  // About 3 s recorded out of about 5.5 s of wall clock. Clicks are slow on a loaded machine, so the bound is
  // taken from the measured wall clock: the file must be shorter than it by the pause (≥ 2 s), with 0.5 s slack.
  expect(durationS).toBeGreaterThan(2.2);
  expect(durationS).toBeLessThan(wallSeconds - 2.0 + 0.5);
  const database = new Database(join(studio.dataDir, 'studio.sqlite'), { readonly: true });
  try {
    const stored = database.prepare('SELECT pauses FROM recordings WHERE id = ?').get(id) as {
      pauses: string;
    };
    const pauses = JSON.parse(stored.pauses) as { start: number; end: number }[];
    expect(pauses).toHaveLength(1);
    expect(pauses[0]!.end - pauses[0]!.start).toBeGreaterThan(2_000);
  } finally {
    database.close();
  }
});

test('a visit to another screen during a recording does not stop it', async () => {
  await startButton(page).click();
  await expect(stopButton(page)).toBeVisible();
  const startedAt = await page.locator('[data-started-at]').getAttribute('data-started-at');
  const nav = page.getByRole('navigation');
  await nav.getByRole('button', { name: 'Modération' }).click();
  await expect(page.getByRole('region', { name: 'Enregistreur' })).toBeHidden();
  await page.waitForTimeout(2_500);
  await nav.getByRole('button', { name: 'Studio' }).click();
  // The same recording, still running, its time counted while the host was away.
  await expect(stopButton(page)).toBeVisible();
  await expect(page.locator('[data-started-at]')).toHaveAttribute('data-started-at', startedAt!);
  await expect
    .poll(async () => (await page.getByTestId('recorder-elapsed').textContent()) ?? '')
    .toMatch(/^00:00:0[3-9]|^00:00:[1-5]\d/);
  await stopButton(page).click();
  const row = recordingRows(page).first();
  await expect(row.getByTestId('recording-status')).toHaveText('Prêt', { timeout: 20_000 });
  const id = (await row.getAttribute('data-recording-id'))!;
  expect(probeRecording(recordingFile(id)).durationS).toBeGreaterThanOrEqual(2.5);
});

test('a device unplugged mid-recording: a clear message, and what was recorded is kept', async () => {
  await startButton(page).click();
  await expect(stopButton(page)).toBeVisible();
  await expect
    .poll(async () => Number(await page.getByTestId('recorder-bytes').getAttribute('data-bytes')))
    .toBeGreaterThan(0);
  // What the browser does when a camera is pulled out: its track stops and fires `ended`.
  await page.evaluate(() => {
    const preview = document.querySelector<HTMLVideoElement>('video[aria-label="Aperçu de la caméra"]');
    const track = (preview?.srcObject as MediaStream | null)?.getVideoTracks()[0];
    track?.stop();
    track?.dispatchEvent(new Event('ended'));
  });
  await expect(page.getByRole('alert').filter({ hasText: 'débranché' })).toBeVisible();
  const row = recordingRows(page).first();
  await expect(row.getByTestId('recording-status')).toHaveText('Prêt', { timeout: 20_000 });
  const id = (await row.getAttribute('data-recording-id'))!;
  expect(probeRecording(recordingFile(id)).streams).toContain('video');
  // The devices are opened again (here the same fake camera comes back): ready for the next recording.
  await expect(startButton(page)).toBeEnabled();
  await page.screenshot({ path: test.info().outputPath('recording-panel-unplugged.png'), fullPage: true });
});
