import { expect, type Page, test } from '@playwright/test';
import { startStudioHost, type StudioProcess } from './support/processes';
import {
  chatLog,
  composer,
  createAccount,
  messageRow,
  type StudioUser,
  sendMessage,
  startLive,
} from './support/studio-page';
import { postRestChat, registerRestUser, uniqueEmail } from './support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from './support/studio-server';

/**
 * The studio window against a real chat server process and a real `npm run host` process: one host, one
 * account, one live for the whole file (tests run in order and build on each other, as a host's evening does).
 */
test.describe.configure({ mode: 'serial' });
// Processes start and restart within tests; on a shared 2-core machine that takes a while.
test.setTimeout(120_000);

let server: ChatServerProcess;
let studio: StudioProcess;
let page: Page;
let liveId: number;
/** A web-app user's token, to read the chat through the server's REST API (its own word). */
let webToken = '';
const host: StudioUser = {
  first_name: 'Mariam',
  last_name: 'Diallo',
  email: uniqueEmail('hote'),
  password: 'motdepasse-solide',
};

async function startHost(dataDir?: string) {
  studio = await startStudioHost({
    STUDIO_SERVER_URL: server.url,
    ...(dataDir ? { STUDIO_DATA_DIR: dataDir } : {}),
  });
}

test.beforeAll(async ({ browser }) => {
  server = await startChatServerProcess();
  await startHost();
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page?.close();
  await studio?.stop();
  await server?.stop();
});

test('seed flow: start a live, send a message, see it confirmed, and again after restarting host and server', async () => {
  await page.goto(studio.url);
  // STUDIO_SERVER_URL preselects the server: the first run goes straight to the account.
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  await createAccount(page, host);
  // The seed's steps, no detour: "Lancer un live" → fill in → "Démarrer le live" (the form's main action).
  await startLive(page, 'Live du jeudi', 'On teste le studio');
  await expect(page.getByTestId('live-status').first()).toHaveText('En direct');

  await sendMessage(page, 'Test message depuis le script Python');
  const row = messageRow(page, 'Test message depuis le script Python');
  await expect(row).toHaveAttribute('data-status', 'sent');
  await expect(row).toContainText('Mariam Diallo');
  await expect(composer(page)).toHaveValue('');

  await studio.stop();
  await server.stop();
  await server.start();
  await startHost(studio.dataDir);
  await page.goto(studio.url);
  // The session is remembered: straight to my lives, the live still there.
  await page.getByRole('button', { name: 'Ouvrir le studio : Live du jeudi' }).click();
  const again = messageRow(page, 'Test message depuis le script Python');
  await expect(again).toHaveAttribute('data-status', 'sent');
  await expect(again).toContainText('Mariam Diallo');
  await expect(chatLog(page).getByText('Test message depuis le script Python')).toHaveCount(1);
});

test('a second browser, as another user, sends a message: the host sees it within a second', async ({
  browser,
}) => {
  liveId = await currentLiveId(page);
  // The viewer has their own studio core (their own account and cache) and their own browser context.
  const viewerHost = await startStudioHost({ STUDIO_SERVER_URL: server.url });
  const viewerContext = await browser.newContext();
  try {
    const viewer = await viewerContext.newPage();
    await viewer.goto(viewerHost.url);
    await createAccount(viewer, {
      first_name: 'Koffi',
      last_name: 'Mensah',
      email: uniqueEmail('spectateur'),
      password: 'motdepasse-solide',
    });
    await viewer.getByRole('button', { name: 'Ouvrir le studio : Live du jeudi' }).click();
    await expect(chatLog(viewer)).toBeVisible();
    // A first message once the viewer's core is synced, so that the measure is the steady state, not sign-up.
    const hello = `Salut ${Date.now()}`;
    await sendMessage(viewer, hello);
    await expect(messageRow(page, hello)).toBeVisible({ timeout: 10_000 });

    // Five messages, one at a time; the host page notes when each appears (no polling delay in the measure).
    // The median must be under a second (single outliers happen on a machine shared by many processes).
    const delays: number[] = [];
    let text = '';
    for (let n = 1; n <= 5; n++) {
      text = `Bonjour de la part de Koffi ${n} ${Date.now()}`;
      await page.evaluate((expected) => {
        const w = window as unknown as { seenAt?: number };
        w.seenAt = 0;
        const observer = new MutationObserver(() => {
          if (document.querySelector('[role="log"]')?.textContent?.includes(expected)) {
            w.seenAt = Date.now();
            observer.disconnect();
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      }, text);
      await composer(viewer).fill(text);
      const sentAt = Date.now();
      await composer(viewer).press('Enter');
      await expect(messageRow(page, text)).toBeVisible({ timeout: 5_000 });
      const seenAt = await page.evaluate(() => (window as unknown as { seenAt?: number }).seenAt ?? 0);
      delays.push(seenAt - sentAt);
    }
    const median = [...delays].sort((a, b) => a - b)[2]!;
    console.info(`second browser → host: ${delays.join(', ')} ms (median ${median} ms)`);
    expect(median, `median delay ${median} ms (${delays.join(', ')})`).toBeLessThan(1_000);
    expect(Math.max(...delays)).toBeLessThan(3_000);
    await expect(messageRow(page, text)).toContainText('Koffi Mensah');
    await expect(messageRow(viewer, text)).toHaveAttribute('data-status', 'sent');
  } finally {
    await viewerContext.close();
    await viewerHost.stop();
  }
});

test('a message from the web app (REST, as the seed’s scripts send) shows with its author', async () => {
  const webUser = await registerRestUser(server.url, {
    email: uniqueEmail('web'),
    password: 'motdepasse-solide',
    first_name: 'Aïcha',
    last_name: 'Traoré',
  });
  webToken = webUser.token;
  const text = `Depuis le site web ${Date.now()}`;
  await postRestChat(server.url, webUser.token, liveId, text);
  await expect(messageRow(page, text)).toContainText('Aïcha Traoré');
});

test('scrolled up, new messages are counted in an indicator that brings the user back down', async () => {
  for (let n = 1; n <= 12; n++) await postRestChat(server.url, webToken, liveId, `Remplissage ${n}`);
  await expect(messageRow(page, 'Remplissage 12')).toBeVisible();
  // Scrolled up for real before the next message: on a loaded machine a late layout of the last rows could
  // still move the list after a single scrollTop write (CI saw the indicator never appear).
  await expect(async () => {
    await chatLog(page).evaluate((log) => {
      log.scrollTop = 0;
    });
    await expect(messageRow(page, 'Remplissage 12')).not.toBeInViewport({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await postRestChat(server.url, webToken, liveId, 'Pendant que je lisais plus haut');
  const indicator = page.getByRole('button', { name: '1 nouveau message' });
  await expect(indicator).toBeVisible();
  await indicator.click();
  await expect(indicator).toBeHidden();
  await expect(messageRow(page, 'Pendant que je lisais plus haut')).toBeInViewport();
});

test('offline: three messages wait as pending, then are all confirmed exactly once', async () => {
  await server.stop();
  const badge = page.getByTestId('connection-badge');
  await expect(badge).toHaveAttribute('data-state', 'offline', { timeout: 15_000 });
  const texts = [1, 2, 3].map((n) => `Hors ligne ${n} ${Date.now()}`);
  for (const text of texts) await sendMessage(page, text);
  for (const text of texts) await expect(messageRow(page, text)).toHaveAttribute('data-status', 'pending');
  await expect(badge).toHaveText(/Hors ligne · 3 en attente/);

  await server.start();
  for (const text of texts) {
    await expect(messageRow(page, text)).toHaveAttribute('data-status', 'sent', { timeout: 20_000 });
  }
  await expect(badge).toHaveAttribute('data-state', 'online');
  for (const text of texts) await expect(chatLog(page).getByText(text, { exact: true })).toHaveCount(1);
  // And once on the server too: the REST API is the server's own word.
  const response = await fetch(`${server.url}/api/posts/live/${liveId}/chat/messages/?page_size=200`, {
    headers: { authorization: `Bearer ${webToken}` },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { results: { content: string }[] };
  for (const text of texts) expect(body.results.filter((m) => m.content === text)).toHaveLength(1);
});

test('a message with markup is shown as text and runs nothing', async () => {
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  const xss = '<img src=x onerror=alert(1)>';
  await sendMessage(page, xss);
  const row = messageRow(page, xss);
  await expect(row).toHaveAttribute('data-status', 'sent');
  await expect(row.locator('.message-text')).toHaveText(xss);
  await expect(chatLog(page).locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('a long word wraps inside the pane; 501 characters are refused with the reason', async () => {
  const longWord = 'a'.repeat(300);
  await sendMessage(page, longWord);
  const row = messageRow(page, longWord);
  await expect(row).toHaveAttribute('data-status', 'sent');
  const [rowWidth, logWidth] = await Promise.all([
    row.evaluate((element) => element.scrollWidth),
    chatLog(page).evaluate((element) => element.clientWidth),
  ]);
  expect(rowWidth).toBeLessThanOrEqual(logWidth);

  const before = await chatLog(page).locator('[data-status]').count();
  await composer(page).fill('b'.repeat(501));
  await expect(page.getByText('Message trop long : 501 caractères, 500 au maximum.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Envoyer' })).toBeDisabled();
  await composer(page).press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Message trop long' })).toBeVisible();
  await expect(composer(page)).toHaveValue('b'.repeat(501));
  expect(await chatLog(page).locator('[data-status]').count()).toBe(before);
  await composer(page).fill('');
});

test('Shift+Enter adds a line and Enter sends; the counter appears near the limit', async () => {
  await composer(page).fill('');
  await composer(page).type('ligne une');
  await composer(page).press('Shift+Enter');
  await composer(page).type('ligne deux');
  await expect(composer(page)).toHaveValue('ligne une\nligne deux');
  await composer(page).press('Enter');
  await expect(messageRow(page, 'ligne deux')).toHaveAttribute('data-status', 'sent');
  await expect(messageRow(page, 'ligne deux').locator('.message-text')).toHaveText('ligne une\nligne deux');

  await composer(page).fill('c'.repeat(420));
  await expect(page.getByText('420 / 500')).toBeVisible();
  await composer(page).fill('');
});

test('keyboard shortcuts: recording, help overlay, focus the composer, go to moderation and back', async () => {
  await page.getByRole('heading', { name: 'Chat' }).click();
  // Alt+R starts or stops the recorder, whichever it is doing now, and back again.
  const stop = page.getByRole('button', { name: /Arrêter l.enregistrement/ });
  const start = page.getByRole('button', { name: /Démarrer l.enregistrement/ });
  await expect(stop.or(start)).toBeVisible();
  const wasRecording = await stop.isVisible();
  await page.keyboard.press('Alt+R');
  await expect(wasRecording ? start : stop).toBeVisible({ timeout: 15_000 });
  await page.keyboard.press('Alt+R');
  await expect(wasRecording ? stop : start).toBeVisible({ timeout: 15_000 });
  await page.keyboard.press('Shift+?');
  const help = page.getByRole('dialog', { name: 'Raccourcis clavier' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Écrire dans le chat');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.keyboard.press('Alt+C');
  await expect(composer(page)).toBeFocused();
  await page.keyboard.press('Alt+M');
  await expect(page.getByRole('button', { name: 'Modération' })).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Alt+L');
  await expect(page.getByRole('heading', { name: 'Mes lives' })).toBeVisible();
  await page.keyboard.press('Alt+C');
  await expect(composer(page)).toBeFocused();
});

test('the language switch changes the interface and is remembered', async () => {
  await page.getByRole('button', { name: 'Réglages' }).click();
  await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: 'Studio' }).click();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  // The recorder speaks the same language as the rest of the window.
  const recorder = page.getByRole('region', { name: 'Recorder' });
  await expect(recorder).toBeVisible();
  await expect(recorder.getByRole('button', { name: 'Marker' })).toBeVisible();
  await expect(recorder.getByRole('button', { name: /^(Start|Stop) recording$/ })).toBeVisible();
  await expect(recorder.getByLabel('Microphone level')).toBeVisible();
  await expect(recorder.getByText('Record automatically when the live starts')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Enregistreur' })).toHaveCount(0);
  await page.reload();
  await page.getByRole('button', { name: 'My lives' }).click();
  await expect(page.getByRole('button', { name: 'Start a live' })).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
  await page.getByRole('button', { name: 'Studio' }).click();
  await expect(
    page.getByRole('region', { name: 'Enregistreur' }).getByRole('button', { name: 'Marqueur' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await expect(page.getByRole('button', { name: 'Lancer un live' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
});

test('ending the live', async () => {
  await page.getByRole('button', { name: 'Ouvrir le studio : Live du jeudi' }).click();
  await page.getByRole('button', { name: 'Terminer le live' }).click();
  await expect(page.getByTestId('live-status').first()).toHaveText('Terminé');
  await expect(page.getByRole('button', { name: 'Démarrer le live' })).toHaveCount(0);
});

test('a message the server refuses shows the reason, with retry and discard', async () => {
  // The live has ended: the server refuses new messages (live_not_open), a refusal and not a network error.
  const text = `Trop tard ${Date.now()}`;
  await sendMessage(page, text);
  const row = messageRow(page, text);
  await expect(row).toHaveAttribute('data-status', 'rejected', { timeout: 15_000 });
  await expect(row.locator('.message-reason')).toHaveText(/^Refusé : .+/);
  await row.getByRole('button', { name: 'Réessayer' }).click();
  await expect(row).toHaveAttribute('data-status', 'rejected', { timeout: 15_000 });
  await row.getByRole('button', { name: 'Abandonner' }).click();
  await expect(chatLog(page).getByText(text)).toHaveCount(0);
});

test('sign out returns to the sign-in screen', async () => {
  await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
});

/** The live on screen, as the host knows it (the id the REST API uses). */
async function currentLiveId(studioPage: Page): Promise<number> {
  const id = await studioPage.locator('[data-live-id]').first().getAttribute('data-live-id');
  if (!id) throw new Error('no live on screen');
  return Number(id);
}
