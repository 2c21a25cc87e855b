import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { startStudioHost, type StudioProcess } from './support/processes';
import { chatLog, createAccount, createLive, messageRow, sendMessage } from './support/studio-page';
import { postRestChat, registerRestUser, uniqueEmail } from './support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from './support/studio-server';

/**
 * The README's pictures, taken from the real app (host + chat server processes, the fake camera in the
 * preview). Runs only when asked: `UPDATE_SCREENSHOTS=1 npx playwright test e2e/studio-screenshots.spec.ts`.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

const OUT = 'docs/screenshots';
let server: ChatServerProcess;
let studio: StudioProcess;

test.beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await startChatServerProcess();
  studio = await startStudioHost({ STUDIO_SERVER_URL: server.url });
});
test.afterAll(async () => {
  await studio?.stop();
  await server?.stop();
});

async function settle(page: Page) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(600);
}

test('sign-in, lives and studio screenshots, light and dark', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(studio.url);
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  await settle(page);
  await page.screenshot({ path: `${OUT}/sign-in.png` });

  await createAccount(page, {
    first_name: 'Mariam',
    last_name: 'Diallo',
    email: uniqueEmail('mariam'),
    password: 'motdepasse-solide',
  });
  await createLive(page, 'Questions-réponses de la rentrée', 'Vos questions sur l’association.');
  await page.getByRole('button', { name: 'Démarrer le live' }).click();
  await page.getByRole('button', { name: 'Terminer le live' }).click();
  await expect(page.getByRole('button', { name: 'Terminer le live' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await createLive(page, 'Cuisine : mafé en direct', 'La recette de ma grand-mère, pas à pas.');
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await createLive(
    page,
    'Atelier couture du jeudi',
    'On termine la robe en wax ensemble — posez vos questions dans le chat !',
  );
  await page.getByRole('button', { name: 'Démarrer le live' }).click();
  await expect(page.getByRole('button', { name: 'Terminer le live' })).toBeVisible();
  const liveId = Number(await page.locator('[data-live-id]').getAttribute('data-live-id'));

  const people = await Promise.all(
    [
      ['Koffi', 'Mensah'],
      ['Aïcha', 'Traoré'],
      ['Jean', 'Dupont'],
      ['Fatou', 'Ndiaye'],
    ].map(([first_name, last_name], index) =>
      registerRestUser(server.url, {
        email: uniqueEmail(`viewer${index}`),
        password: 'motdepasse-solide',
        first_name: first_name!,
        last_name: last_name!,
      }),
    ),
  );
  const chat: [number, string][] = [
    [0, 'Bonsoir tout le monde !'],
    [1, 'Le tissu est magnifique, c’est du wax de Bamako ?'],
    [2, 'Première fois que je regarde, super idée ce live'],
    [3, 'Tu peux montrer la couture de l’ourlet de plus près ?'],
    [1, 'Quelle taille d’aiguille tu utilises pour ce tissu ?'],
    [0, 'Merci pour le live, ça m’aide beaucoup pour mon projet'],
  ];
  for (const [who, text] of chat) await postRestChat(server.url, people[who]!.token, liveId, text);
  await expect(messageRow(page, 'ça m’aide beaucoup')).toBeVisible();
  await sendMessage(page, 'Oui Aïcha, du wax de Bamako ! Aiguille de 90 pour celui-ci.');
  await expect(messageRow(page, 'Aiguille de 90')).toHaveAttribute('data-status', 'sent');
  await expect(page.locator('video').first()).toBeVisible();
  await page.waitForFunction(() => {
    const video = document.querySelector('video');
    return video !== null && video.readyState >= 2;
  });
  await expect(chatLog(page)).toBeVisible();
  await settle(page);
  await page.screenshot({ path: `${OUT}/studio.png` });

  await page.emulateMedia({ colorScheme: 'dark' });
  await settle(page);
  await page.screenshot({ path: `${OUT}/studio-dark.png` });

  await page.getByRole('button', { name: 'Mes lives' }).click();
  await expect(page.getByRole('heading', { name: 'Mes lives' })).toBeVisible();
  await settle(page);
  await page.screenshot({ path: `${OUT}/lives-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
  await settle(page);
  await page.screenshot({ path: `${OUT}/lives.png` });
  await page.close();
});
