import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { startStudioHost, type StudioProcess } from './support/processes';
import { createAccount, type StudioUser } from './support/studio-page';
import { uniqueEmail } from './support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from './support/studio-server';

/**
 * The host's way through, as CommuniConnect's instructions tell it (issue 17): the password field named just
 * "Mot de passe", "Lancer un live" → fill in → "Démarrer le live" on the form itself (the recorder starting
 * with the live), "Programmer" for later, and a live's card that opens the studio wherever it is clicked.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let server: ChatServerProcess;
let studio: StudioProcess;
let page: Page;
const host: StudioUser = {
  first_name: 'Fatou',
  last_name: 'Ndiaye',
  email: uniqueEmail('fatou'),
  password: 'motdepasse-solide',
};

test.beforeAll(async ({ browser }) => {
  server = await startChatServerProcess();
  studio = await startStudioHost({ STUDIO_SERVER_URL: server.url });
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
});
test.afterAll(async () => {
  await page?.close();
  await studio?.stop();
  await server?.stop();
});

/** The language the host remembers for the Electron menu, read from its SQLite file (null: never told). */
function hostLanguage(): string | null {
  const database = new Database(join(studio.dataDir, 'studio.sqlite'), { readonly: true });
  try {
    const row = database.prepare("SELECT value FROM settings WHERE key = 'ui.language'").get() as
      | { value: string }
      | undefined;
    return row ? (JSON.parse(row.value) as string) : null;
  } finally {
    database.close();
  }
}

test('the password field is named "Mot de passe"; its hint is its description, in both languages', async () => {
  await page.goto(studio.url);
  const password = page.locator('input[type="password"]');
  await expect(password).toHaveAccessibleName('Mot de passe');
  await page.getByRole('button', { name: 'Créer un compte' }).click();
  await expect(password).toHaveAccessibleName('Mot de passe');
  await expect(password).toHaveAccessibleDescription('8 caractères minimum');
  // The renderer tells the host its language at start, and again on each switch (the Electron menu follows).
  await expect.poll(hostLanguage).toBe('fr');
  await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
  await expect(password).toHaveAccessibleName('Password');
  await expect(password).toHaveAccessibleDescription('At least 8 characters');
  await expect.poll(hostLanguage).toBe('en');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
  await expect.poll(hostLanguage).toBe('fr');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await createAccount(page, host);
});

test('"Démarrer le live" on the form creates and starts the live, and the recorder starts with it', async () => {
  await page.getByRole('button', { name: 'Lancer un live' }).click();
  await page.getByLabel('Titre').fill('Live du vendredi');
  await page.getByLabel('Description').fill('Questions et réponses');
  // The main action is the form's submit (Enter does it too); "Programmer" sits beside it.
  await expect(page.getByRole('button', { name: 'Programmer' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('new-live-form.png') });
  await page.getByRole('button', { name: 'Démarrer le live' }).click();

  await expect(page.getByRole('heading', { name: 'Live du vendredi', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Terminer le live' })).toBeVisible();
  await expect(page.getByTestId('live-status').first()).toHaveText('En direct');
  // "Enregistrer automatiquement au démarrage du live" is on by default: the live started, so does the recorder.
  await expect(page.getByRole('button', { name: "Arrêter l'enregistrement" })).toBeVisible({
    timeout: 15_000,
  });
  await page.getByRole('button', { name: "Arrêter l'enregistrement" }).click();
  await expect(page.getByRole('button', { name: "Démarrer l'enregistrement" })).toBeVisible({
    timeout: 15_000,
  });
});

test('with automatic recording off, "Démarrer le live" starts the live and not the recorder', async () => {
  await page.getByLabel('Enregistrer automatiquement au démarrage du live').uncheck();
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await page.getByRole('button', { name: 'Lancer un live' }).click();
  await page.getByLabel('Titre').fill('Live sans enregistrement');
  // Enter in the title field is the main action too.
  await page.getByLabel('Titre').press('Enter');
  await expect(page.getByRole('heading', { name: 'Live sans enregistrement', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Terminer le live' })).toBeVisible();
  await expect(page.getByRole('button', { name: "Démarrer l'enregistrement" })).toBeEnabled({
    timeout: 15_000,
  });
  await expect(page.getByRole('button', { name: "Arrêter l'enregistrement" })).toHaveCount(0);
  await page.getByLabel('Enregistrer automatiquement au démarrage du live').check();
});

test('"Programmer" only creates the live: it opens scheduled, with "Démarrer le live" for later', async () => {
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await page.getByRole('button', { name: 'Lancer un live' }).click();
  await page.getByLabel('Titre').fill('Live de la semaine prochaine');
  await page.getByRole('button', { name: 'Programmer' }).click();
  await expect(page.getByRole('heading', { name: 'Live de la semaine prochaine', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Démarrer le live' })).toBeVisible();
  await expect(page.getByTestId('live-status').first()).toHaveText('Programmé');
  await expect(page.getByRole('button', { name: "Arrêter l'enregistrement" })).toHaveCount(0);
});

test("a live's card opens the studio from its title, from anywhere on the card, and by keyboard", async () => {
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await expect(page.getByRole('region', { name: /Programmés/ })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('lives-list.png') });

  // The title is a button named by the title.
  await page.getByRole('button', { name: 'Live du vendredi', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Live du vendredi', level: 1 })).toBeVisible();

  // A click on the card away from any control (its bottom-left corner, by the description) opens the studio too.
  await page.getByRole('button', { name: 'Mes lives' }).click();
  const card = page.getByRole('listitem').filter({ hasText: 'Questions et réponses' });
  const box = (await card.boundingBox())!;
  await card.click({ position: { x: 24, y: box.height - 10 } });
  await expect(page.getByRole('heading', { name: 'Live du vendredi', level: 1 })).toBeVisible();

  // Keyboard: the title button takes focus and Enter opens the studio.
  await page.getByRole('button', { name: 'Mes lives' }).click();
  const title = page.getByRole('button', { name: 'Live de la semaine prochaine', exact: true });
  await title.focus();
  await expect(title).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Live de la semaine prochaine', level: 1 })).toBeVisible();

  // "Ouvrir le studio" still works, above the stretched title.
  await page.getByRole('button', { name: 'Mes lives' }).click();
  await page.getByRole('button', { name: 'Ouvrir le studio : Live sans enregistrement' }).click();
  await expect(page.getByRole('heading', { name: 'Live sans enregistrement', level: 1 })).toBeVisible();
});
