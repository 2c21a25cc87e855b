import { expect, type Page, test } from '@playwright/test';
import { startStudioHost, type StudioProcess } from './support/processes';
import { historyText, seedHistory } from './support/seed-history';
import { chatLog, messageRow, signIn } from './support/studio-page';
import { createRestLive, registerRestUser, uniqueEmail } from './support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from './support/studio-server';

/**
 * A live with a long history, opened in a studio whose cache is empty: the connection badge shows the sync's
 * progress ("Synchronisation x/y") until it is done, and the chat pane, which holds only the newest page,
 * brings older messages back from the host's cache when the user scrolls to the top.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

/** Several pages (the host pulls up to 10,000 events a page), so that the progress is seen between two of them. */
const HISTORY = 40_000;
/** The pane's first page (src/renderer/src/api/chat.ts CHAT_PAGE). */
const FIRST_PAGE = 500;
const LIVE_TITLE = 'Live au long historique';

let server: ChatServerProcess;
let studio: StudioProcess;
let page: Page;
const account = { email: uniqueEmail('historique'), password: 'motdepasse-solide' };

test.beforeAll(async ({ browser }) => {
  server = await startChatServerProcess();
  const host = await registerRestUser(server.url, { ...account, first_name: 'Awa', last_name: 'Sow' });
  const viewer = await registerRestUser(server.url, {
    email: uniqueEmail('spectatrice'),
    password: 'motdepasse-solide',
    first_name: 'Aïcha',
    last_name: 'Traoré',
  });
  const liveId = await createRestLive(server.url, host.token, LIVE_TITLE);
  await server.stop();
  await seedHistory(server.dataDir, liveId, viewer.id, HISTORY);
  await server.start();
  studio = await startStudioHost({ STUDIO_SERVER_URL: server.url });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

test.afterAll(async () => {
  await page?.close();
  await studio?.stop();
  await server?.stop();
});

test('opening the live syncs its history into the empty cache, the badge counting x/y until done', async () => {
  await page.goto(studio.url);
  await signIn(page, account);
  // Every text the badge takes, noted by the page itself: a sync of a few seconds must not depend on polling.
  await page.evaluate(() => {
    const w = window as unknown as { badgeTexts: string[] };
    w.badgeTexts = [];
    const note = () => {
      const text = document.querySelector('[data-testid="connection-badge"]')?.textContent ?? '';
      if (text && w.badgeTexts[w.badgeTexts.length - 1] !== text) w.badgeTexts.push(text);
    };
    note();
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  await page.getByRole('button', { name: `Ouvrir le studio : ${LIVE_TITLE}` }).click();

  await expect(messageRow(page, historyText(HISTORY))).toBeVisible({ timeout: 60_000 });
  const badge = page.getByTestId('connection-badge');
  await expect(badge).toHaveAttribute('data-state', 'online', { timeout: 60_000 });
  await expect(badge).toHaveText('En ligne');

  const texts = await page.evaluate(() => (window as unknown as { badgeTexts: string[] }).badgeTexts);
  const progress = texts
    .map((text) => text.match(/^Synchronisation (\d+)\/(\d+)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ done: Number(match[1]), total: Number(match[2]) }));
  const seen = texts.join(' | ');
  console.info(`badge: ${texts.length} states, ${progress.length} with progress: ${seen.slice(0, 400)}`);
  // Part-way through: some but not all of the history, out of a total that counts all of it.
  expect(
    progress.some((p) => p.done > 0 && p.done < p.total),
    `badge texts: ${seen}`,
  ).toBe(true);
  expect(Math.max(...progress.map((p) => p.total)), `badge texts: ${seen}`).toBeGreaterThanOrEqual(HISTORY);
  for (let i = 1; i < progress.length; i++)
    expect(progress[i]!.done, `progress never goes back: ${seen}`).toBeGreaterThanOrEqual(
      progress[i - 1]!.done,
    );
  expect(texts[texts.length - 1]).toBe('En ligne');
});

test('the pane holds the newest page; scrolling to the top brings older messages back from the cache, in order', async () => {
  // A fresh page load (the studio reopens on the same live): the pane asks the cache for the newest page only.
  await page.reload();
  const log = chatLog(page);
  await expect(messageRow(page, historyText(HISTORY))).toBeInViewport();
  await expect(page.getByText(`${FIRST_PAGE} messages`, { exact: true })).toBeVisible();
  const oldestShown = HISTORY - FIRST_PAGE + 1;
  const olderOne = historyText(oldestShown - 1);
  await expect(log.getByText(olderOne, { exact: true })).toHaveCount(0);

  // To the top, as a user drags the scrollbar: the oldest of the first page is there, then the page before it.
  await log.evaluate((element) => {
    element.scrollTop = 0;
  });
  await expect(messageRow(page, historyText(oldestShown))).toBeAttached();
  await expect(log.getByText(olderOne, { exact: true })).toBeAttached({ timeout: 15_000 });
  // The pane kept the reader's place: a few wheel notches up reach the message just before.
  await log.hover();
  await expect(async () => {
    await page.mouse.wheel(0, -300);
    await expect(log.getByText(olderOne, { exact: true })).toBeInViewport({ timeout: 500 });
  }).toPass({ timeout: 20_000 });

  // Oldest first, one after another, with nothing missing or repeated where the two pages meet.
  const numbers = (await log.locator('.message-text').allTextContents()).map((text) =>
    Number(text.match(/^#(\d{5}) /)?.[1]),
  );
  expect(numbers.length).toBeGreaterThan(3);
  expect(numbers).toContain(oldestShown - 1);
  expect(numbers).toContain(oldestShown);
  for (let i = 1; i < numbers.length; i++)
    expect(numbers[i], `rows: ${numbers.join(', ')}`).toBe(numbers[i - 1]! + 1);
});
