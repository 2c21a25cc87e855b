import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../e2e/support/chromium';
import { measureStartup, type StartupRun } from './support/startup';

/**
 * Cold start (issue 18): from spawning the host to the chat of the live the user was on, visible in Chromium.
 * Needs `npm run build` first (the built entry and the renderer). Runnable alone: `npm run bench -- startup`.
 */
const fmt = (n: number) => n.toFixed(1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const spread = (values: number[]) =>
  `| ${fmt(median(values))} | ${fmt(Math.min(...values))}–${fmt(Math.max(...values))} |`;

export async function run(): Promise<string> {
  const loadBefore = loadavg();
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  let startup: StartupRun[];
  try {
    startup = await measureStartup(browser, 5);
  } finally {
    await browser.close();
  }
  const of = (entry: 'source' | 'built') => startup.filter((r) => r.entry === entry);
  const built = median(of('built').map((r) => r.chatVisibleMs));
  return [
    '## Start-up: the host started to the studio interactive (bench/renderer/startup.ts)',
    '',
    `Load average (1, 5, 15 min) at the start: ${loadBefore.map(fmt).join(', ')}; at the end: ${loadavg().map(fmt).join(', ')} (2 cores).`,
    '',
    "A real chat server process and host process; the user was on a live's studio when the host stopped. From",
    'spawning the host to its "ready" line, and to the chat of that live with its message visible in Chromium.',
    'Two entries, alternated: `npm run host` (`node --import tsx src/host/web.ts`, TypeScript compiled as it',
    'loads; the baseline, and the only entry measured before issue 18) and the bundle `npm run build` makes',
    "(`node out/main/web.js`: what `npm start` runs, the same host code as the app's main process). The bundle",
    'carries zod, drizzle-orm and tRPC inside it; PGlite and mediabunny load only when used.',
    `${of('built').length} runs each, median (min–max):`,
    '',
    '| entry | step | median ms | min–max ms |',
    '|---|---|---|---|',
    ...(['source', 'built'] as const).flatMap((entry) => [
      `| ${entry} | host process ready (prints its URL) ${spread(of(entry).map((r) => r.readyMs))}`,
      `| ${entry} | studio interactive (chat visible) ${spread(of(entry).map((r) => r.chatVisibleMs))}`,
    ]),
    '',
    `Floor (issue 18): ≤ 500 ms to a visible chat → ${built <= 500 ? '**met**' : '**not met**'} by the built host (${fmt(built)} ms).`,
    '',
  ].join('\n');
}
