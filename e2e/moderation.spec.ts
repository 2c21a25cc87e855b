import { expect, type Page, test } from '@playwright/test';
import { expectNoSeriousViolations } from './support/axe';
import { startStudioHost, type StudioProcess } from './support/processes';
import { createAccount, createLive, type StudioUser } from './support/studio-page';
import { postRestChat, registerRestUser, type RestUser, uniqueEmail } from './support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from './support/studio-server';

/**
 * Modération (issue 7) in Chromium against real host and chat server processes: keyboard actions on the
 * chosen message, the log, and a hide taken while the server is down that applies once it is back.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const user: StudioUser = {
  first_name: 'Awa',
  last_name: 'Koné',
  email: uniqueEmail('modo'),
  password: 'motdepasse-solide',
};
let server: ChatServerProcess;
let studio: StudioProcess;
let viewer: RestUser;
let page: Page;
let liveId: number;

const row = (p: Page, text: string) => p.locator('.mod-row').filter({ hasText: text }).last();

test.beforeAll(async ({ browser }) => {
  // Two server processes and a browser start here: slow on a busy machine.
  test.setTimeout(150_000);
  server = await startChatServerProcess();
  studio = await startStudioHost({ STUDIO_SERVER_URL: server.url });
  viewer = await registerRestUser(server.url, {
    email: uniqueEmail('troll'),
    password: 'motdepasse-solide',
    first_name: 'Marc',
    last_name: 'Leroy',
  });
  // An explicit context: the axe scan needs one.
  page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
  await page.goto(studio.url);
  await createAccount(page, user);
  await createLive(page, 'Live modéré');
  await page.getByLabel('Enregistrer automatiquement au démarrage du live').uncheck();
  await page.getByRole('button', { name: 'Démarrer le live' }).click();
  await expect(page.getByRole('button', { name: 'Terminer le live' })).toBeVisible();
  liveId = Number(await page.locator('[data-live-id]').first().getAttribute('data-live-id'));
  for (const text of ['Bonjour à tous', 'Achetez mes cryptos !!!', 'Quel beau live', 'Encore du spam']) {
    await postRestChat(server.url, viewer.token, liveId, text);
  }
});

test.afterAll(async () => {
  await page?.context().close();
  await studio?.stop();
  await server?.stop();
});

test('H hides the chosen message, T times its author out, and the log says who did what and why', async () => {
  await page.getByRole('navigation').getByRole('button', { name: 'Modération' }).click();
  await expect(row(page, 'Encore du spam')).toBeVisible();
  await page.getByLabel('Motif').fill('publicité');
  await row(page, 'Achetez mes cryptos').locator('.mod-text').click();
  await page.keyboard.press('h');
  await expect(row(page, 'Achetez mes cryptos')).toHaveAttribute('data-hidden', 'true');
  await expect(page.getByTestId('moderation-log')).toContainText('Masqué');
  await expect(page.getByTestId('moderation-log')).toContainText('publicité');

  // Buttons do the same as keys: "Exclure temporairement" asks for a length.
  await row(page, 'Achetez mes cryptos').getByRole('button', { name: 'Exclure temporairement' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '10 min' }).click();
  await expect(page.getByTestId('moderation-log')).toContainText('Exclu temporairement');
  const refused = await fetch(`${server.url}/api/posts/live/${liveId}/chat/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.token}` },
    body: JSON.stringify({ content: 'je reviens' }),
  });
  expect(refused.status).toBe(403);

  // The user card: their messages in this live and the actions taken on them.
  await row(page, 'Bonjour à tous').getByRole('button', { name: 'Marc Leroy' }).click();
  await expect(page.getByTestId('user-card')).toContainText('Quel beau live');
  await expect(page.getByTestId('user-card')).toContainText('Exclu temporairement');
  await page.screenshot({ path: 'test-results/moderation.png' });
  // The screen at work (a hidden row, the chosen row, the user card, the log) stays accessible.
  await expectNoSeriousViolations(page, 'moderation with messages');
});

test('hide while the server is down: queued, then applied once after reconnect, and the pane shows it', async () => {
  await server.stop();
  await expect(page.getByText('Hors ligne').first()).toBeVisible({ timeout: 15_000 });
  await row(page, 'Encore du spam').locator('.mod-text').click();
  await page.keyboard.press('h');
  await expect(row(page, 'Encore du spam')).toContainText('En attente de connexion');
  await expect(row(page, 'Encore du spam')).toHaveAttribute('data-hidden', 'false');

  await server.start();
  await expect(row(page, 'Encore du spam')).toHaveAttribute('data-hidden', 'true', { timeout: 30_000 });
  await expect(row(page, 'Encore du spam')).not.toContainText('En attente de connexion');
  // Applied once: the server's own list for viewers leaves it out, and its log has one hide for it.
  const list = await fetch(`${server.url}/api/posts/live/${liveId}/chat/messages/?page_size=200`, {
    headers: { authorization: `Bearer ${viewer.token}` },
  });
  const body = (await list.json()) as { results: { content: string }[] };
  expect(body.results.map((m) => m.content)).not.toContain('Encore du spam');
  await expect(page.getByTestId('moderation-log').locator('li', { hasText: 'Masqué' })).toHaveCount(2);
});
