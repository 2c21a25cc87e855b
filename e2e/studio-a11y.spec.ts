import { expect, type Page, test } from '@playwright/test';
import { startStudioHost, type StudioProcess } from './support/processes';
import { composer, createAccount, messageRow, sendMessage } from './support/studio-page';
import { uniqueEmail } from './support/studio-rest';
import { expectNoSeriousViolations } from './support/axe';

/**
 * First run on the embedded server (the default choice), then an axe-core scan of every screen, in light and
 * dark: no serious or critical violation. The host keeps the choice and the session across a restart.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let studio: StudioProcess;
let page: Page;

test.beforeAll(async ({ browser }) => {
  studio = await startStudioHost();
  // axe needs a page from an explicit context.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});
test.afterAll(async () => {
  await page?.context().close();
  await studio?.stop();
});

test('first run: "Sur cet ordinateur" is the default; the remote choice asks for the server address', async () => {
  await page.goto(studio.url);
  await expect(page.getByRole('radio', { name: /Sur cet ordinateur/ })).toBeChecked();
  await expectNoSeriousViolations(page, 'first run');
  await page.getByRole('radio', { name: /Serveur CommuniConnect/ }).check();
  await page.getByLabel('Adresse du serveur').fill('pas une adresse');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('alert')).toHaveText(/http:\/\/ ou https:\/\//);
  await expectNoSeriousViolations(page, 'first run, remote');
  await page.getByRole('radio', { name: /Sur cet ordinateur/ }).check();
  await expect(page.getByLabel('Adresse du serveur')).toHaveCount(0);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('sur cet ordinateur')).toBeVisible();
});

test('sign in and create account screens', async () => {
  await expectNoSeriousViolations(page, 'sign in');
  await page.getByRole('button', { name: 'Créer un compte' }).click();
  await expect(page.getByLabel('Prénom')).toBeVisible();
  await expectNoSeriousViolations(page, 'create account');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await createAccount(page, {
    first_name: 'Awa',
    last_name: 'Sow',
    email: uniqueEmail('awa'),
    password: 'motdepasse-solide',
  });
});

test('lives list and new-live form', async () => {
  await expectNoSeriousViolations(page, 'lives, empty');
  await page.getByRole('button', { name: 'Lancer un live' }).click();
  await expect(page.getByLabel('Titre')).toBeFocused();
  await expectNoSeriousViolations(page, 'new-live form');
  await page.getByLabel('Titre').fill('Live accessible');
  await page.getByLabel('Description').fill('Un live pour vérifier l’accessibilité');
  // "Programmer": the live is created, not started; the studio test below starts it.
  await page.getByRole('button', { name: 'Programmer' }).click();
  await expect(page.getByRole('heading', { name: 'Live accessible', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await expect(page.getByRole('button', { name: 'Ouvrir le studio : Live accessible' })).toBeVisible();
  await expectNoSeriousViolations(page, 'lives');
});

test('studio with chat, over-long draft and the shortcuts overlay', async () => {
  await page.getByRole('button', { name: 'Ouvrir le studio : Live accessible' }).click();
  await page.getByRole('button', { name: 'Démarrer le live' }).click();
  await expect(page.getByRole('button', { name: 'Terminer le live' })).toBeVisible();
  await sendMessage(page, 'Bonjour à toutes et à tous');
  await expect(messageRow(page, 'Bonjour à toutes et à tous')).toHaveAttribute('data-status', 'sent');
  await expectNoSeriousViolations(page, 'studio');
  await composer(page).fill('x'.repeat(501));
  await expectNoSeriousViolations(page, 'studio, draft too long');
  await composer(page).fill('');
  await page.keyboard.press('F1');
  await expect(page.getByRole('dialog', { name: 'Raccourcis clavier' })).toBeVisible();
  await expectNoSeriousViolations(page, 'shortcuts overlay');
  await page.keyboard.press('Escape');
});

test('settings and the slots for moderation, library and replay', async () => {
  await page.getByRole('button', { name: 'Réglages' }).click();
  await expect(page.getByRole('heading', { name: 'Réglages' })).toBeVisible();
  await expectNoSeriousViolations(page, 'settings');
  for (const name of ['Modération', 'Bibliothèque', 'Rediffusion']) {
    const item = page.getByRole('navigation').getByRole('button', { name, exact: true });
    await item.click();
    await expect(item).toHaveAttribute('aria-current', 'page');
    await expectNoSeriousViolations(page, name);
  }
});

test('the server choice and the session survive a host restart; sign out asks to sign in again', async () => {
  const dataDir = studio.dataDir;
  await studio.stop();
  studio = await startStudioHost({ STUDIO_DATA_DIR: dataDir });
  await page.goto(studio.url);
  await expect(page.getByRole('heading', { name: 'Mes lives' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  await expect(page.getByRole('radio', { name: /Sur cet ordinateur/ })).toHaveCount(0);
});
