import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { type StudioEntry, startStudioHost } from '../../../e2e/support/processes';
import {
  chatLog,
  createAccount,
  createLive,
  messageRow,
  sendMessage,
} from '../../../e2e/support/studio-page';
import { uniqueEmail } from '../../../e2e/support/studio-rest';
import { freePort, startChatServerProcess } from '../../../e2e/support/studio-server';

export type StartupRun = { entry: StudioEntry; readyMs: number; chatVisibleMs: number };

/**
 * Time from spawning the host (`npm run host`'s entry through tsx, as the e2e tests do, and the built bundle that
 * `npm start` and the app run) to the studio interactive in Chromium:
 * the chat of the live the user was on, with its messages, on screen. The account, the live and a message
 * are prepared once; each run then starts a fresh host process on the same data and port.
 */
export async function measureStartup(browser: Browser, runs: number): Promise<StartupRun[]> {
  const server = await startChatServerProcess();
  const env = {
    STUDIO_SERVER_URL: server.url,
    STUDIO_DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-bench-studio-')),
    // Same port, same origin: the page remembers it was on the studio, as a desktop window does.
    STUDIO_PORT: String(await freePort()),
  };
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    let host = await startStudioHost(env);
    await page.goto(host.url);
    await createAccount(page, {
      first_name: 'Bench',
      last_name: 'Host',
      email: uniqueEmail('bench'),
      password: 'motdepasse-solide',
    });
    await createLive(page, 'Bench live');
    await sendMessage(page, 'premier message');
    await messageRow(page, 'premier message').waitFor();
    await host.stop();
    await page.goto('about:blank');

    const results: StartupRun[] = [];
    // Alternating, so that both entries see the same machine: the built one is what the app's main process runs.
    for (let run = 0; run < runs; run++) {
      for (const entry of ['source', 'built'] as const) {
        const started = performance.now();
        host = await startStudioHost(env, entry);
        const ready = performance.now();
        await page.goto(host.url);
        await chatLog(page).waitFor({ state: 'visible', timeout: 60_000 });
        await messageRow(page, 'premier message').waitFor({ state: 'visible', timeout: 60_000 });
        results.push({ entry, readyMs: ready - started, chatVisibleMs: performance.now() - started });
        await host.stop();
        await page.goto('about:blank');
      }
    }
    return results;
  } finally {
    await context.close();
    await server.stop();
  }
}
