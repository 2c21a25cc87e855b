import { expect, test } from '@playwright/test';
import { type StudioProcess, startStudioHost } from './support/processes';

let studio: StudioProcess;
test.beforeAll(async () => {
  studio = await startStudioHost();
});
test.afterAll(async () => {
  await studio?.stop();
});

test('the built renderer opens in Chromium and reaches the host over its token-guarded socket', async ({
  page,
}) => {
  await page.goto(studio.url);
  await expect(page).toHaveTitle('CommuniConnect Studio');
  // The first-run screen is drawn from the host's connection status: it shows only once the socket answered.
  await expect(page.getByRole('radio', { name: /Sur cet ordinateur/ })).toBeChecked();
});

test('the host socket refuses a client without the launch token', async ({ page }) => {
  await page.goto(studio.url.replace(/\?token=.*/, ''));
  const refused = await page.evaluate(
    (origin) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(`${origin.replace('http', 'ws')}/trpc?token=wrong`);
        socket.onopen = () => resolve(false);
        socket.onerror = () => resolve(true);
      }),
    new URL(studio.url).origin,
  );
  expect(refused).toBe(true);
});
