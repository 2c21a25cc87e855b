import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { expectNoSeriousViolations } from './support/axe';
import { startStudioHost, type StudioProcess } from './support/processes';
import { createLive, signIn } from './support/studio-page';
import { postRestChat, registerRestUser, type RestUser, uniqueEmail } from './support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from './support/studio-server';

/**
 * Issue 15 as two people live it: the host records with the fake camera and the recording reaches the server
 * while it runs; the host's process is then killed; a moderator on a second studio finds the recording on the
 * server, downloads it for offline, and replays it with the chat in sync.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

const LIVE_TITLE = 'Live envoyé au serveur';
const PASSWORD = 'motdepasse-solide';
/** When the viewer speaks, in seconds after the recorder started. */
const SECONDS = [1.5, 4.5];

let server: ChatServerProcess;
let hostStudio: StudioProcess;
let moderatorStudio: StudioProcess;
let host: RestUser & { email: string; password: string };
let moderator: RestUser & { email: string; password: string };
let viewer: RestUser;
let liveId: number;

async function serverJson(path: string, token: string) {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return response.json();
}

async function newPage(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  await page.goto(url);
  return page;
}

async function registerUser(first: string, last: string, prefix: string) {
  const email = uniqueEmail(prefix);
  const user = await registerRestUser(server.url, {
    email,
    password: PASSWORD,
    first_name: first,
    last_name: last,
  });
  return { ...user, email, password: PASSWORD };
}

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startChatServerProcess();
  host = await registerUser('Awa', 'Koné', 'hote-envoi');
  moderator = await registerUser('Moussa', 'Traoré', 'moderateur-envoi');
  viewer = await registerUser('Inès', 'Diallo', 'spectatrice-envoi');
  hostStudio = await startStudioHost({ STUDIO_SERVER_URL: server.url });
  moderatorStudio = await startStudioHost({ STUDIO_SERVER_URL: server.url });
});

test.afterAll(async () => {
  await hostStudio?.stop();
  await moderatorStudio?.stop();
  await server?.stop();
});

test('the host records; the server holds the recording while it runs, and all of it once finalized', async ({
  browser,
}) => {
  const page = await newPage(browser, hostStudio.url);
  await signIn(page, host);
  await createLive(page, LIVE_TITLE);
  liveId = Number(await page.locator('[data-live-id]').first().getAttribute('data-live-id'));
  // The moderator is named by the host (the tRPC call the studio's own moderation panel makes).
  const named = await fetch(`${server.url}/trpc/moderation.addModerator`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify({ postId: liveId, email: moderator.email }),
  });
  expect(named.status).toBe(200);
  await page.getByLabel('Enregistrer automatiquement au démarrage du live').uncheck();
  await page.getByRole('button', { name: 'Démarrer le live' }).click();
  await expect(page.getByRole('button', { name: 'Terminer le live' })).toBeVisible();

  await page.getByRole('button', { name: "Démarrer l'enregistrement" }).click();
  const startedAt = Number(
    await page.locator('[data-started-at]').getAttribute('data-started-at', { timeout: 10_000 }),
  );
  for (const [index, second] of SECONDS.entries()) {
    const wait = startedAt + second * 1000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await postRestChat(server.url, viewer.token, liveId, `réplique ${index + 1} à ${second} s`);
  }
  // Still recording: the moderator already sees part of it on the server, seconds behind.
  await expect
    .poll(
      async () => {
        const listed = (await serverJson(`/api/posts/live/${liveId}/recordings/`, moderator.token)) as Array<{
          uploaded_bytes: number;
          state: string;
        }>;
        return listed[0]?.state === 'uploading' ? listed[0].uploaded_bytes : 0;
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  await page.evaluate(async (stopAt) => {
    await new Promise((done) => setTimeout(done, stopAt - Date.now()));
    Array.from(document.querySelectorAll('button'))
      .find((b) => b.textContent === "Arrêter l'enregistrement")
      ?.click();
  }, startedAt + 7_000);

  await page.getByRole('navigation').getByRole('button', { name: 'Bibliothèque' }).click();
  const item = page.locator('.library-item').filter({ hasText: LIVE_TITLE }).first();
  await expect(item.getByTestId('upload-status')).toHaveText('Sur le serveur ✓', { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/library-upload.png' });
  await expectNoSeriousViolations(page, 'library with upload states');

  // The server's copy is the local file, byte for byte.
  const recordingId = await item.getAttribute('data-recording-id');
  const listed = (await serverJson(`/api/recordings/`, moderator.token)) as Array<{
    id: string;
    state: string;
    sha256: string;
  }>;
  const onServer = listed.find((recording) => recording.id === recordingId)!;
  expect(onServer.state).toBe('complete');
  const local = readFileSync(join(hostStudio.dataDir, 'recordings', `${recordingId}.webm`));
  expect(onServer.sha256).toBe(createHash('sha256').update(local).digest('hex'));

  // Modération: the live's video beside its chat; choosing a message takes the video to its moment.
  await page.getByRole('navigation').getByRole('button', { name: 'Modération' }).click();
  const video = page.getByTestId('moderation-video');
  await expect(video).toBeVisible({ timeout: 15_000 });
  await expect
    .poll(() => video.evaluate((element: HTMLVideoElement) => element.readyState), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);
  // On the message's text, not on one of its action buttons.
  await page.locator('.mod-list li').getByText('réplique 2 à 4.5 s').click();
  await expect
    .poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime))
    .toBeGreaterThan(3.5);
  expect(await video.evaluate((element: HTMLVideoElement) => element.currentTime)).toBeLessThan(5.5);
  await page.screenshot({ path: 'test-results/moderation-video.png' });
  await expectNoSeriousViolations(page, 'moderation with the video');
  await page.context().close();
});

test("with the host's studio killed, a moderator on another studio downloads it and replays it with the chat in sync", async ({
  browser,
}) => {
  await hostStudio.stop('SIGKILL');
  const page = await newPage(browser, moderatorStudio.url);
  await signIn(page, moderator);
  await page.getByRole('navigation').getByRole('button', { name: 'Bibliothèque' }).click();
  const onServer = page.locator('[data-server-recording-id]').filter({ hasText: LIVE_TITLE });
  await expect(onServer).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: 'test-results/library-on-server.png' });
  await onServer.getByRole('button', { name: 'Télécharger pour hors-ligne' }).click();

  const item = page.locator('.library-item[data-recording-id]').filter({ hasText: LIVE_TITLE }).first();
  await expect(item).toBeVisible({ timeout: 30_000 });
  await expect(onServer).toHaveCount(0);
  // The chat comes with it: give the sync a moment to fetch the live's messages.
  await expect
    .poll(async () => (await serverJson(`/api/posts/live/${liveId}/chat/messages/`, moderator.token)).length)
    .toBe(SECONDS.length);
  await item.getByRole('button', { name: 'Rediffusion' }).click();
  await expect(page.getByRole('heading', { name: /Rediffusion/, level: 1 })).toBeVisible();
  const video = page.getByTestId('replay-video');
  await expect
    .poll(() => video.evaluate((element: HTMLVideoElement) => element.readyState), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);
  await expect(page.getByText(`${SECONDS.length} messages`, { exact: true })).toBeVisible({
    timeout: 15_000,
  });
  // Seek past the first line only: the replay shows what was said up to there, as on the host's machine.
  await video.evaluate(
    (element: HTMLVideoElement) =>
      new Promise<void>((resolve) => {
        element.addEventListener('seeked', () => resolve(), { once: true });
        element.currentTime = 3;
      }),
  );
  const messages = page.getByTestId('replay-messages').locator(':scope > li');
  await expect(messages).toHaveCount(1);
  await expect(messages.first()).toContainText('réplique 1 à 1.5 s');
  await page.screenshot({ path: 'test-results/replay-from-server.png' });

  // Réglages: automatic upload and its cap, saved.
  await page.getByRole('navigation').getByRole('button', { name: 'Réglages' }).click();
  await page.getByLabel('Débit maximal (Ko/s, vide : sans limite)').fill('512');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Réglages enregistrés.')).toBeVisible();
  await page.screenshot({ path: 'test-results/settings-uploads.png', fullPage: true });
  await page.context().close();
});
