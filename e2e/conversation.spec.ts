import { type Browser, expect, type Page, test } from '@playwright/test';
import { expectNoSeriousViolations } from './support/axe';
import { startStudioHost, type StudioProcess } from './support/processes';
import { chatLog, composer, messageRow, sendMessage, signIn } from './support/studio-page';
import { createRestLive, registerRestUser, uniqueEmail } from './support/studio-rest';
import { type ChatServerProcess, startChatServerProcess } from './support/studio-server';

/**
 * Issue 16 as two people live it, each in their own studio: they answer each other and react, one of them
 * offline for a while; what they typed offline arrives once, the reply still pointing at its message.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const PASSWORD = 'motdepasse-solide';
const LIVE_TITLE = 'Live des réponses';

let server: ChatServerProcess;
let hostStudio: StudioProcess;
let viewerStudio: StudioProcess;
let hostPage: Page;
let viewerPage: Page;
let liveId: number;
let hostToken: string;

async function openStudio(browser: Browser, studio: StudioProcess, email: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
  await page.goto(studio.url);
  await signIn(page, { email, password: PASSWORD });
  await page.getByRole('button', { name: `Ouvrir le studio : ${LIVE_TITLE}` }).click();
  await expect(page.getByRole('heading', { name: LIVE_TITLE, level: 1 })).toBeVisible();
  return page;
}

/** The toolbar of a message appears on hover and on keyboard focus; the test hovers, as a mouse user does. */
async function messageTool(page: Page, text: string, name: string | RegExp) {
  const row = messageRow(page, text);
  await row.hover();
  return row.getByRole('button', { name });
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(150_000);
  server = await startChatServerProcess();
  const hostEmail = uniqueEmail('hote-reponses');
  const viewerEmail = uniqueEmail('spectateur-reponses');
  const host = await registerRestUser(server.url, {
    email: hostEmail,
    password: PASSWORD,
    first_name: 'Awa',
    last_name: 'Koné',
  });
  await registerRestUser(server.url, {
    email: viewerEmail,
    password: PASSWORD,
    first_name: 'Bruno',
    last_name: 'Lefèvre',
  });
  hostToken = host.token;
  liveId = await createRestLive(server.url, host.token, LIVE_TITLE);
  hostStudio = await startStudioHost({ STUDIO_SERVER_URL: server.url });
  viewerStudio = await startStudioHost({ STUDIO_SERVER_URL: server.url });
  hostPage = await openStudio(browser, hostStudio, hostEmail);
  viewerPage = await openStudio(browser, viewerStudio, viewerEmail);
});

test.afterAll(async () => {
  await hostPage?.context().close();
  await viewerPage?.context().close();
  await hostStudio?.stop();
  await viewerStudio?.stop();
  await server?.stop();
});

test('they reply to each other and react; the counts and the quote show on both sides', async () => {
  await sendMessage(hostPage, 'Bienvenue ! Qui vient samedi ?');
  await expect(messageRow(viewerPage, 'Bienvenue ! Qui vient samedi ?')).toBeVisible({ timeout: 15_000 });

  // The viewer answers: "Répondre" (mouse), the composer says whom it answers, Enter sends.
  await (await messageTool(viewerPage, 'Bienvenue ! Qui vient samedi ?', 'Répondre à Awa Koné')).click();
  await expect(viewerPage.getByText('En réponse à Awa Koné')).toBeVisible();
  await expect(composer(viewerPage)).toBeFocused();
  await composer(viewerPage).fill('Moi ! Avec ma sœur.');
  await composer(viewerPage).press('Enter');
  await expect(viewerPage.getByText('En réponse à Awa Koné')).toHaveCount(0);
  const reply = messageRow(hostPage, 'Moi ! Avec ma sœur.');
  await expect(reply).toBeVisible({ timeout: 15_000 });
  await expect(reply.getByRole('button', { name: /Réponse à Awa Koné : Bienvenue/ })).toBeVisible();

  // The host reacts with 🎉 from the bar; the viewer adds 🎉 too and a ❤️: counts as words, theirs pressed.
  await (await messageTool(hostPage, 'Moi ! Avec ma sœur.', 'Réagir avec 🎉')).click();
  await (await messageTool(viewerPage, 'Moi ! Avec ma sœur.', 'Réagir avec 🎉')).click();
  await (await messageTool(viewerPage, 'Moi ! Avec ma sœur.', 'Réagir avec ❤️')).click();
  const hostCount = messageRow(hostPage, 'Moi ! Avec ma sœur.').getByRole('button', {
    name: '🎉 : 2 réactions, dont la vôtre',
  });
  await expect(hostCount).toBeVisible({ timeout: 15_000 });
  await expect(hostCount).toHaveAttribute('aria-pressed', 'true');
  await expect(
    messageRow(hostPage, 'Moi ! Avec ma sœur.').getByRole('button', { name: '❤️ : 1 réaction' }),
  ).toHaveAttribute('aria-pressed', 'false');
  // An emoji alone is a message of its own kind, shown large.
  await sendMessage(viewerPage, '🎉🎉');
  await expect(messageRow(hostPage, '🎉🎉').locator('.message-text-emoji')).toBeVisible({ timeout: 15_000 });
  await hostPage.mouse.move(5, 5);
  await hostPage.screenshot({ path: 'test-results/conversation.png' });
  await expectNoSeriousViolations(hostPage, 'chat with replies and reactions');
});

test('the full picker: "+" opens it over the chat, "fusée" or "rocket" finds 🚀, a click reacts', async () => {
  // Two axe scans (light, dark) of a page with the picker's grid open: on a loaded machine, a minute or more.
  test.setTimeout(180_000);
  // The emoji data ships with the studio: every request the page makes stays on this machine.
  const requests: string[] = [];
  const onRequest = (request: { url(): string }) => requests.push(request.url());
  hostPage.on('request', onRequest);

  const more = await messageTool(hostPage, 'Moi ! Avec ma sœur.', 'Plus d’émojis');
  await more.click();
  const picker = hostPage.getByRole('dialog', { name: 'Plus d’émojis' });
  const search = picker.getByRole('searchbox', { name: 'Chercher un émoji' });
  await expect(search).toBeFocused();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await expect(picker.getByRole('gridcell').first()).toBeVisible();

  // The pointer leaves the message: the picker stays open, whole, above the chat (not clipped by its row).
  await hostPage.mouse.move(5, 5);
  await expect(picker).toBeInViewport({ ratio: 1 });
  const box = (await picker.boundingBox())!;
  expect(box.height).toBeGreaterThan(250);
  const corners = [
    [box.x + 4, box.y + 4],
    [box.x + box.width - 4, box.y + 4],
    [box.x + 4, box.y + box.height - 4],
    [box.x + box.width - 4, box.y + box.height - 4],
  ];
  for (const [x, y] of corners)
    expect(
      await picker.evaluate(
        (element, [px, py]) => element.contains(document.elementFromPoint(px!, py!)),
        [x, y],
      ),
      `the picker is on top at (${x}, ${y})`,
    ).toBe(true);
  await hostPage.screenshot({ path: 'test-results/emoji-picker.png' });
  await expectNoSeriousViolations(hostPage, 'the emoji picker');

  // Its names in French, with or without accents, and in English.
  const rocket = picker.getByRole('gridcell', { name: 'Fusée', exact: true });
  for (const words of ['rocket', 'fusee', 'fusée']) {
    await search.fill(words);
    await expect(rocket).toBeVisible();
  }
  await rocket.click();

  // Picked: the picker closes, the focus is back on "+", the count shows on both sides.
  await expect(picker).toHaveCount(0);
  await expect(more).toBeFocused();
  await expect(
    messageRow(hostPage, 'Moi ! Avec ma sœur.').getByRole('button', { name: '🚀 : 1 réaction, la vôtre' }),
  ).toBeVisible();
  await expect(
    messageRow(viewerPage, 'Moi ! Avec ma sœur.').getByRole('button', { name: '🚀 : 1 réaction' }),
  ).toBeVisible({ timeout: 15_000 });

  // Escape closes it without picking, the focus back on "+".
  await more.click();
  await expect(search).toBeFocused();
  await hostPage.keyboard.press('Escape');
  await expect(picker).toHaveCount(0);
  await expect(more).toBeFocused();
  await expect(more).toHaveAttribute('aria-expanded', 'false');

  hostPage.off('request', onRequest);
  const studioOrigin = new URL(hostStudio.url).origin;
  expect(requests.filter((url) => url.includes('/emojibase/')).length).toBeGreaterThan(0);
  expect(requests.filter((url) => new URL(url).origin !== studioOrigin)).toEqual([]);
});

test('offline: a reply and a reaction typed while the server is down arrive once, linked up', async () => {
  await server.stop();
  await expect(viewerPage.getByText('Hors ligne').first()).toBeVisible({ timeout: 15_000 });
  // Keyboard only: Tab into the message reaches its tools; 👍 on the host's message, then a reply.
  const question = messageRow(viewerPage, 'Bienvenue ! Qui vient samedi ?');
  await question.getByRole('button', { name: 'Réagir avec 👍' }).focus();
  await viewerPage.keyboard.press('Enter');
  await expect(question.getByRole('button', { name: '👍 : 1 réaction, la vôtre' })).toBeVisible();
  await question.getByRole('button', { name: 'Répondre à Awa Koné' }).focus();
  await viewerPage.keyboard.press('Enter');
  await viewerPage.keyboard.type('Je confirme pour samedi');
  await viewerPage.keyboard.press('Enter');
  await expect(messageRow(viewerPage, 'Je confirme pour samedi')).toHaveAttribute('data-status', 'pending');
  await viewerPage.screenshot({ path: 'test-results/conversation-offline.png' });

  await server.start();
  await expect(messageRow(viewerPage, 'Je confirme pour samedi')).toHaveAttribute('data-status', 'sent', {
    timeout: 30_000,
  });
  const onHost = messageRow(hostPage, 'Je confirme pour samedi');
  await expect(onHost).toBeVisible({ timeout: 20_000 });
  await expect(onHost.getByRole('button', { name: /Réponse à Awa Koné : Bienvenue/ })).toBeVisible();
  await expect(
    messageRow(hostPage, 'Bienvenue ! Qui vient samedi ?').getByRole('button', { name: '👍 : 1 réaction' }),
  ).toBeVisible({ timeout: 20_000 });

  // Once on the server: one message, one reaction.
  const history = (await (
    await fetch(`${server.url}/api/posts/live/${liveId}/chat/messages/`, {
      headers: { authorization: `Bearer ${hostToken}` },
    })
  ).json()) as Array<{
    id: number;
    content: string;
    reply_to: number | null;
    reactions: { count: number }[];
  }>;
  const confirmed = history.filter((m) => m.content === 'Je confirme pour samedi');
  expect(confirmed).toHaveLength(1);
  const parent = history.find((m) => m.content === 'Bienvenue ! Qui vient samedi ?')!;
  expect(confirmed[0]!.reply_to).toBe(parent.id);
  expect(parent.reactions).toEqual([{ emoji: '👍', count: 1, mine: false }]);

  // The quote takes the host's list to the message it answers.
  await onHost.getByRole('button', { name: /Réponse à Awa Koné/ }).click();
  await expect(chatLog(hostPage).locator('.message-list-row-highlighted')).toContainText('Qui vient samedi');
});
