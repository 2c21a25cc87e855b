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

/** "Lancer un live" → the form → the new live opens in the Studio; returns its id (from the host). */
export async function createLive(page: Page, title: string, description = '') {
  await page.getByRole('button', { name: 'Lancer un live' }).click();
  await page.getByLabel('Titre').fill(title);
  if (description) await page.getByLabel('Description').fill(description);
  await page.getByRole('button', { name: 'Créer le live' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
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
