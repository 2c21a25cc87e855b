import { expect, type Locator, type Page } from '@playwright/test';

/** What a user does in the studio window, by the words on screen (design §6), never by CSS classes. */
export type StudioUser = { first_name: string; last_name: string; email: string; password: string };

export async function createAccount(page: Page, user: StudioUser) {
  await page.getByRole('button', { name: 'Créer un compte' }).click();
  await page.getByLabel('Prénom').fill(user.first_name);
  await page.getByLabel('Nom', { exact: true }).fill(user.last_name);
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Créer un compte' }).click();
  await expect(page.getByRole('heading', { name: 'Mes lives' })).toBeVisible();
}

export async function signIn(page: Page, user: Pick<StudioUser, 'email' | 'password'>) {
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { name: 'Mes lives' })).toBeVisible();
}

/**
 * "Lancer un live" → the form → "Programmer": the live is created, not started, and opens in the Studio
 * (where the test starts it, at a moment it chooses, with "Démarrer le live").
 */
export async function createLive(page: Page, title: string, description = '') {
  await fillLiveForm(page, title, description);
  await page.getByRole('button', { name: 'Programmer' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Démarrer le live' })).toBeVisible();
}

/** The seed's own steps: "Lancer un live" → fill in → "Démarrer le live"; the Studio opens on the live, live. */
export async function startLive(page: Page, title: string, description = '') {
  await fillLiveForm(page, title, description);
  await page.getByRole('button', { name: 'Démarrer le live' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Terminer le live' })).toBeVisible();
}

async function fillLiveForm(page: Page, title: string, description: string) {
  await page.getByRole('button', { name: 'Lancer un live' }).click();
  await page.getByLabel('Titre').fill(title);
  if (description) await page.getByLabel('Description').fill(description);
}

export function chatLog(page: Page): Locator {
  return page.getByRole('log', { name: 'Messages du chat' });
}

export function composer(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Message' });
}

export async function sendMessage(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

/** The row of the newest message with this exact text. */
export function messageRow(page: Page, text: string): Locator {
  return chatLog(page)
    .locator('[data-status]')
    .filter({ has: page.locator('.message-text', { hasText: text }) })
    .last();
}
