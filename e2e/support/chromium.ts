import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * Which Chromium the e2e tests drive: `PLAYWRIGHT_CHROMIUM_PATH`, else Debian's /usr/bin/chromium, else
 * Playwright's own browser if it was installed. Nothing is ever downloaded: when none exists we say how to get one.
 */
export function chromiumExecutable(): string {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_PATH, '/usr/bin/chromium', safeBundledPath()];
  const found = candidates.find((path): path is string => Boolean(path && existsSync(path)));
  if (!found) {
    throw new Error(
      'No Chromium found for the e2e tests. Install Debian\'s ("sudo apt-get install chromium"), or set ' +
        'PLAYWRIGHT_CHROMIUM_PATH to a Chromium/Chrome binary, or run "npx playwright install chromium" where downloads work.',
    );
  }
  return found;
}

function safeBundledPath(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** Flags that keep Chromium quiet on a closed network, plus the fake camera and microphone. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];
