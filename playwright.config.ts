import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './e2e/support/chromium';

/** e2e: Debian's Chromium drives the built renderer against a real `npm run host` process. */
export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    permissions: ['camera', 'microphone'],
  },
  projects: [
    {
      name: 'chromium',
      // The screenshot refresher is a tool, not a test: it runs only when asked (UPDATE_SCREENSHOTS=1).
      testIgnore: process.env.UPDATE_SCREENSHOTS ? [/electron\//] : [/electron\//, /studio-screenshots/],
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
      },
    },
    // The real Electron app (_electron.launch); its specs skip themselves, with the reason, without the binary.
    { name: 'electron', testDir: './e2e/electron' },
  ],
});
