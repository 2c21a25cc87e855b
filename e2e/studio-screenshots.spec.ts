import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { startStudioHost, type StudioProcess } from './support/processes';
import {
  chatLog,
  createAccount,
  createLive,
  messageRow,
  sendMessage,
  startLive,
} from './support/studio-page';
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

async function shoot(page: Page, name: string) {
  await settle(page);
  await page.screenshot({ path: `${OUT}/${name}.png` });
}

/** The replay at the end of its video: every message of the recording beside it. */
async function seekToEnd(page: Page) {
  const video = page.getByTestId('replay-video');
  await expect
    .poll(() => video.evaluate((element: HTMLVideoElement) => element.duration), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await video.evaluate(
    (element: HTMLVideoElement) =>
      new Promise<void>((resolve) => {
        element.addEventListener('seeked', () => resolve(), { once: true });
        element.currentTime = element.duration;
      }),
  );
}

/** The language switch: beside the sign-in form, or in Réglages/Settings once signed in. */
async function switchLanguage(page: Page, to: 'fr' | 'en') {
  const signedIn = await page.getByRole('navigation').count();
  if (signedIn) await page.getByRole('button', { name: to === 'en' ? 'Réglages' : 'Settings' }).click();
  await page.getByRole('combobox', { name: to === 'en' ? 'Langue' : 'Language' }).selectOption(to);
  await expect(page.locator('html')).toHaveAttribute('lang', to);
}

/** Each screen in French (CommuniConnect's language, the README's pictures) and in English (`-en`). */
test('sign-in, lives, studio, moderation and replay screenshots, French and English, light and dark', async ({
  browser,
}) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(studio.url);
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  await shoot(page, 'sign-in');
  await switchLanguage(page, 'en');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await shoot(page, 'sign-in-en');
  await switchLanguage(page, 'fr');

  await createAccount(page, {
    first_name: 'Mariam',
    last_name: 'Diallo',
    email: uniqueEmail('mariam'),
    password: 'motdepasse-solide',
  });
  await startLive(page, 'Questions-réponses de la rentrée', 'Vos questions sur l’association.');
  await page.getByRole('button', { name: 'Terminer le live' }).click();
  await expect(page.getByRole('button', { name: 'Terminer le live' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await createLive(page, 'Cuisine : mafé en direct', 'La recette de ma grand-mère, pas à pas.');
  await page.getByRole('button', { name: 'Mes lives' }).click();
  // "Démarrer le live" on the form starts the recorder too (the default setting): the replay below is this
  // evening's recording.
  await startLive(
    page,
    'Atelier couture du jeudi',
    'On termine la robe en wax ensemble — posez vos questions dans le chat !',
  );
  await expect(page.getByRole('button', { name: "Arrêter l'enregistrement" })).toBeVisible({
    timeout: 15_000,
  });
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
    [2, 'Promo -90 % sur les montres, cliquez vite sur mon profil'],
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
  await shoot(page, 'studio');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'studio-dark');
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await expect(page.getByRole('heading', { name: 'Mes lives' })).toBeVisible();
  await shoot(page, 'lives-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await shoot(page, 'lives');

  // The same evening in English.
  await switchLanguage(page, 'en');
  await page.getByRole('button', { name: 'My lives' }).click();
  await expect(page.getByRole('heading', { name: 'My lives' })).toBeVisible();
  await shoot(page, 'lives-en');
  await page.getByRole('button', { name: 'Open the studio: Atelier couture du jeudi' }).click();
  await expect(page.getByRole('region', { name: 'Recorder' })).toBeVisible();
  await expect(page.getByRole('log', { name: 'Chat messages' }).getByText(/Aiguille de 90/)).toBeVisible();
  await shoot(page, 'studio-en');
  await switchLanguage(page, 'fr');

  // Modération: the spam hidden with a reason, its author's card open.
  await page.getByRole('navigation').getByRole('button', { name: 'Modération' }).click();
  const spam = page.locator('.mod-row').filter({ hasText: 'Promo -90 %' }).last();
  await expect(spam).toBeVisible();
  await page.getByLabel('Motif').fill('publicité');
  await spam.locator('.mod-text').click();
  await page.keyboard.press('h');
  await expect(spam).toHaveAttribute('data-hidden', 'true');
  await spam.getByRole('button', { name: 'Jean Dupont' }).click();
  await expect(page.getByTestId('user-card')).toContainText('Première fois');
  await shoot(page, 'moderation');
  await switchLanguage(page, 'en');
  await page.getByRole('navigation').getByRole('button', { name: 'Moderation' }).click();
  await expect(page.getByTestId('moderation-log')).toContainText('Hidden');
  await shoot(page, 'moderation-en');
  await switchLanguage(page, 'fr');

  // Rediffusion: the recording the live started (it kept running on the other screens), stopped and replayed.
  await page.getByRole('navigation').getByRole('button', { name: 'Studio' }).click();
  await page.getByRole('button', { name: "Arrêter l'enregistrement" }).click();
  await expect(page.locator('.recordings-list > li').first().getByTestId('recording-status')).toHaveText(
    'Prêt',
    {
      timeout: 30_000,
    },
  );
  await page.getByRole('navigation').getByRole('button', { name: 'Bibliothèque' }).click();
  await page
    .locator('.library-item')
    .filter({ hasText: 'Atelier couture du jeudi' })
    .first()
    .getByRole('button', { name: 'Rediffusion' })
    .click();
  await expect(page.getByRole('heading', { name: /Rediffusion/, level: 1 })).toBeVisible();
  await seekToEnd(page);
  await expect(page.getByTestId('replay-messages').locator(':scope > li').first()).toBeVisible();
  await shoot(page, 'replay');
  await switchLanguage(page, 'en');
  await page.getByRole('navigation').getByRole('button', { name: 'Replay' }).click();
  await seekToEnd(page);
  await expect(page.getByTestId('replay-messages').locator(':scope > li').first()).toBeVisible();
  await shoot(page, 'replay-en');
  await page.close();
});
