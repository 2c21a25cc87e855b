/**
 * Where a fling's frames go: the bench harness (unminified, so names are readable) with 10,000 messages, a CPU
 * profile taken while the pane is flung from the bottom to the top, and the functions with the most self time.
 * `node --import tsx bench/renderer/support/profile-fling.ts` — a tool for changing the pane, not a benchmark.
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../../e2e/support/chromium';
import { serveHarness } from './harness-server';

process.env.BENCH_NO_MINIFY = '1';
const harness = await serveHarness();
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(harness.url);
  await page.waitForFunction(() => 'bench' in window);
  await page.evaluate(() => (window as unknown as { bench: { add(n: number): void } }).bench.add(10_000));
  await page.getByRole('log').locator('[data-status]').first().waitFor();
  await page.waitForTimeout(1_000);

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  // The same fling as bench/renderer/renderer.ts; a string, as tsx's helpers do not exist inside the page.
  const deltas = (await page.evaluate(`new Promise((done) => {
    const log = document.querySelector('[role="log"]');
    log.scrollTop = log.scrollHeight;
    const step = log.scrollHeight / 240;
    const deltas = [];
    let last = performance.now();
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      log.scrollTop -= step;
      if (log.scrollTop > 0 && deltas.length < 10000) requestAnimationFrame(tick);
      else done(deltas);
    };
    requestAnimationFrame(tick);
  })`)) as number[];
  const { profile } = await cdp.send('Profiler.stop');

  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  const sorted = deltas.slice(1).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(1);
  console.info(`fling: ${sorted.length} frames, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`);
  console.info('self time (ms), top 25:');
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.info(`${ms.toFixed(0).padStart(7)}  ${name}`);
} finally {
  await browser.close();
  await harness.close();
}
