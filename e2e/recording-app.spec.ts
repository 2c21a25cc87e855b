import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { startStudioHost, type StudioProcess } from './support/processes';
import { decodeErrors, probeRecording } from './support/recording-files';
import { createAccount, type StudioUser, startLive } from './support/studio-page';
import { uniqueEmail } from './support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from './support/studio-server';

/**
 * A recording belongs to the app, not to a screen (issue 17): the host starts a live (the recorder starts with
 * it), then visits other screens, creates and starts a second live and opens a third; the recording goes on,
 * shown in the top bar everywhere, until the host stops it in its studio. One unbroken file comes out.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(150_000);

let server: ChatServerProcess;
let studio: StudioProcess;
let page: Page;
const user: StudioUser = {
  first_name: 'Aminata',
  last_name: 'Traoré',
  email: uniqueEmail('aminata'),
  password: 'motdepasse-solide',
};

const indicator = (p: Page, title: string) =>
  p.getByRole('banner').getByRole('button', { name: `Enregistrement en cours : ${title}` });
const stopButton = (p: Page) => p.getByRole('button', { name: "Arrêter l'enregistrement" });

test.beforeAll(async ({ browser }) => {
  server = await startChatServerProcess();
  studio = await startStudioHost({ STUDIO_SERVER_URL: server.url });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(studio.url);
  await createAccount(page, user);
});
test.afterAll(async () => {
  await page?.close();
  await studio?.stop();
  await server?.stop();
});

test('switching lives mid-recording keeps one recording going, shown in the top bar, into one unbroken file', async () => {
  await startLive(page, 'Live du matin', 'Le premier');
  await expect(stopButton(page)).toBeVisible({ timeout: 15_000 });
  const startedAt = Number(
    await page.getByRole('region', { name: 'Enregistreur' }).getAttribute('data-started-at'),
  );
  expect(startedAt).toBeGreaterThan(0);
  await expect(indicator(page, 'Live du matin')).toBeVisible();

  // Other screens: the recording goes on, and says so.
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await expect(indicator(page, 'Live du matin')).toBeVisible();
  await page.getByRole('button', { name: 'Réglages' }).click();
  await expect(indicator(page, 'Live du matin')).toBeVisible();

  // A second live, created and started from the form: its studio opens; the first live's recording goes on.
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await startLive(page, 'Live du midi');
  await expect(page.getByRole('region', { name: 'Enregistreur' })).toContainText(
    'Un enregistrement est en cours pour « Live du matin »',
  );
  await expect(page.getByRole('button', { name: "Démarrer l'enregistrement" })).toHaveCount(0);
  await expect(stopButton(page)).toHaveCount(0);
  await expect(indicator(page, 'Live du matin')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('second-live-while-recording.png') });

  // The second live again, opened from its card in the list: still the same recording.
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await page.getByRole('button', { name: 'Live du midi', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Live du midi', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await expect(indicator(page, 'Live du matin')).toBeVisible();
  // Long enough that a recording cut at the first switch would be visibly short.
  await page.waitForTimeout(Math.max(0, startedAt + 8_000 - Date.now()));

  // The indicator leads back to the recording's studio, where the host stops it.
  await indicator(page, 'Live du matin').click();
  await expect(page.getByRole('heading', { name: 'Live du matin', level: 1 })).toBeVisible();
  await expect(page.getByTestId('recorder-elapsed')).not.toHaveText(/^00:00:0[0-7]$/);
  const stoppedAt = await page.evaluate(() => {
    const stop = Array.from(document.querySelectorAll('button')).find(
      (b) => b.textContent === "Arrêter l'enregistrement" && b.offsetParent !== null,
    );
    stop?.click();
    return Date.now();
  });
  await expect(indicator(page, 'Live du matin')).toHaveCount(0, { timeout: 20_000 });

  const rows = page.locator('.recordings-list > li');
  await expect(rows.first().getByTestId('recording-status')).toHaveText('Prêt', { timeout: 20_000 });
  await expect(rows).toHaveCount(1);
  const id = (await rows.first().getAttribute('data-recording-id'))!;
  const file = join(studio.dataDir, 'recordings', `${id}.webm`);
  const info = probeRecording(file);
  expect(info.streams).toEqual(['audio', 'video']);
  // One file for the whole time, not cut at a switch: its duration is the time from start to stop.
  const wallS = (stoppedAt - startedAt) / 1000;
  expect(wallS).toBeGreaterThan(8);
  expect(Math.abs(info.durationS - wallS)).toBeLessThanOrEqual(1);
  // ffmpeg decodes it whole without complaint, but for one notice: on this loaded 2-core machine Chromium's
  // MediaRecorder now and then stamps two frames with the same millisecond ("non monotonically increasing dts"),
  // seen in recording.spec.ts's own files too. That is not a break in the file; anything else is.
  const complaints = decodeErrors(file)
    .split('\n')
    .filter((line) => line && !/non monotonically increasing dts/.test(line));
  expect(complaints).toEqual([]);

  // Stopped: the live in view records again as usual.
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await page.getByRole('button', { name: 'Live du midi', exact: true }).click();
  await expect(page.getByRole('button', { name: "Démarrer l'enregistrement" })).toBeEnabled({
    timeout: 15_000,
  });
});
