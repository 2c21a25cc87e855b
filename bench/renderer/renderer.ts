import { loadavg } from 'node:os';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../e2e/support/chromium';
import { serveHarness } from './support/harness-server';

/**
 * Renderer benchmarks (issue 6), on the real Studio screen in Chromium:
 * - frame time while 50 messages/s arrive into a 10,000-message pane (floor: p95 ≤ 50 ms);
 * - frame time while scrolling that pane from the bottom to the top;
 * - JS heap and DOM nodes over BENCH_RENDERER_MINUTES (default 10) of 20 messages/s.
 * Runnable alone: `npm run bench -- renderer/renderer`; `BENCH_RENDERER_ONLY=frames` runs the frame scenarios
 * only (no 10-minute memory phase), for profiling a change to the pane. Start-up is bench/renderer/startup.ts.
 */
type Bench = { bench: { add(count: number): void; count(): number } };
type FrameStats = { frames: number; p50: number; p95: number; p99: number; max: number; over50: number };

function stats(deltas: number[]): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    frames: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? 0,
    over50: sorted.filter((d) => d > 50).length,
  };
}

/** Records requestAnimationFrame deltas in the page while `during` runs. */
async function measureFrames(page: Page, during: () => Promise<void>): Promise<FrameStats> {
  // A string, not a function: tsx's name helpers (__name) do not exist inside the page.
  await page.evaluate(`(() => {
    window.frames_ = [];
    window.stopFrames = false;
    let last = performance.now();
    const tick = (now) => {
      window.frames_.push(now - last);
      last = now;
      if (!window.stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await during();
  const deltas = await page.evaluate(() => {
    const w = window as unknown as { frames_: number[]; stopFrames: boolean };
    w.stopFrames = true;
    return w.frames_.slice(1);
  });
  return stats(deltas);
}

async function startArrivals(page: Page, perSecond: number) {
  await page.evaluate((rate) => {
    const w = window as unknown as { arrivals?: number; bench: { add(n: number): void } };
    w.arrivals = window.setInterval(() => w.bench.add(1), 1000 / rate);
  }, perSecond);
}

async function stopArrivals(page: Page) {
  await page.evaluate(() => clearInterval((window as unknown as { arrivals?: number }).arrivals));
}

async function heap(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return {
    heapMb: get('JSHeapUsedSize') / 2 ** 20,
    totalMb: get('JSHeapTotalSize') / 2 ** 20,
    nodes: get('Nodes'),
  };
}

/** Memory: a fresh page, 20 messages/s for N minutes, sampled after a forced GC; then bursts past the cap. */
async function memoryPhase(browser: Browser, url: string) {
  const minutes = Number(process.env.BENCH_RENDERER_MINUTES ?? 10);
  const memoryPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await memoryPage.goto(url);
  await memoryPage.waitForFunction(() => 'bench' in window);
  const samples: { minute: number; heapMb: number; nodes: number; messages: number }[] = [];
  const sample = async (minute: number) =>
    samples.push({
      minute,
      ...(await heap(memoryPage)),
      messages: await memoryPage.evaluate(() => (window as unknown as Bench).bench.count()),
    });
  await sample(0);
  await startArrivals(memoryPage, 20);
  for (let minute = 1; minute <= minutes; minute++) {
    await memoryPage.waitForTimeout(60_000);
    await sample(minute);
  }
  await stopArrivals(memoryPage);
  // Past the pane's cap: 24,000 more messages in bursts; the heap must level off, not keep climbing.
  const beyondCap: { messages: number; heapMb: number; nodes: number }[] = [];
  for (let burst = 1; burst <= 8; burst++) {
    await memoryPage.evaluate(() => (window as unknown as Bench).bench.add(3_000));
    await memoryPage.waitForTimeout(1_000);
    beyondCap.push({
      ...(await heap(memoryPage)),
      messages: await memoryPage.evaluate(() => (window as unknown as Bench).bench.count()),
    });
  }
  await memoryPage.close();
  return { minutes, samples, beyondCap };
}

const fmt = (n: number) => n.toFixed(1);
const row = (name: string, s: FrameStats) =>
  `| ${name} | ${s.frames} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${s.over50} |`;

function memorySection({ minutes, samples, beyondCap }: Awaited<ReturnType<typeof memoryPhase>>): string[] {
  const half = samples.filter((s) => s.minute >= minutes / 2);
  const growthLastHalf = (half[half.length - 1]?.heapMb ?? 0) - (half[0]?.heapMb ?? 0);
  const peak = Math.max(...samples.map((s) => s.heapMb), ...beyondCap.map((s) => s.heapMb));
  return [
    `Memory over ${minutes} min of 20 msg/s (JS heap after a forced GC; DOM nodes). The pane keeps the newest`,
    '10,000 messages (older ones stay in the host cache and come back on scrolling up).',
    '',
    '| minute | messages received | JS heap MB | DOM nodes |',
    '|---|---|---|---|',
    ...samples.map((s) => `| ${s.minute} | ${s.messages} | ${fmt(s.heapMb)} | ${s.nodes} |`),
    '',
    "Then 24,000 more messages in eight bursts, past the pane's cap:",
    '',
    '| messages received | JS heap MB | DOM nodes |',
    '|---|---|---|',
    ...beyondCap.map((s) => `| ${s.messages} | ${fmt(s.heapMb)} | ${s.nodes} |`),
    '',
    `Peak heap ${fmt(peak)} MB (floor: < 300 MB → **${peak < 300 ? 'met' : 'NOT met'}**); growth over the last half: ${fmt(growthLastHalf)} MB.`,
    '',
  ];
}

export async function run(): Promise<string> {
  const framesOnly = process.env.BENCH_RENDERER_ONLY === 'frames';
  const loadBefore = loadavg();
  const harness = await serveHarness();
  const browser: Browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(harness.url);
    await page.waitForFunction(() => 'bench' in window);

    const idle = await measureFrames(page, () => page.waitForTimeout(3_000));

    await page.evaluate(() => (window as unknown as Bench).bench.add(10_000));
    await page.getByRole('log').locator('[data-status]').first().waitFor();
    const rendered = await page.getByRole('log').locator('[data-status]').count();

    const arriving = await measureFrames(page, async () => {
      await startArrivals(page, 50);
      await page.waitForTimeout(15_000);
      await stopArrivals(page);
    });

    // Scrolling up through the history: at a brisk wheel speed (120 px per frame, ~7,000 px/s), then a fling
    // from the bottom to the very top in 4 s (~40 rows per frame, all measured for the first time).
    const scrollBy = (pxPerFrame: string, frames: number) =>
      page.evaluate<void>(`new Promise((done) => {
        const log = document.querySelector('[role="log"]');
        log.scrollTop = log.scrollHeight;
        let left = ${frames};
        const step = ${pxPerFrame};
        const tick = () => {
          log.scrollTop -= step;
          if (--left > 0 && log.scrollTop > 0) requestAnimationFrame(tick);
          else done();
        };
        requestAnimationFrame(tick);
      })`);
    await page.waitForTimeout(500);
    const scrolling = await measureFrames(page, () => scrollBy('120', 300));
    await page.waitForTimeout(500);
    const fling = await measureFrames(page, () => scrollBy('log.scrollHeight / 240', 10_000));

    const memory = framesOnly ? null : await memoryPhase(browser, harness.url);

    const loadAfter = loadavg();
    return [
      '## Renderer (Studio screen in Chromium)',
      '',
      `Load average (1, 5, 15 min) at the start: ${loadBefore.map(fmt).join(', ')}; at the end: ${loadAfter.map(fmt).join(', ')} (2 cores).`,
      '',
      '### Frames',
      '',
      'The real Studio screen (components, styles, i18n, merge and cap logic) built by Vite in production mode',
      'and fed by the benchmark (bench/renderer/support/harness), in Debian Chromium, software rendering',
      '(`--disable-gpu`), 1280×800. Frame times are requestAnimationFrame deltas in ms; the idle row is the',
      `baseline of this machine. Rows in the DOM with 10,000 messages in the pane: ${rendered} (virtualized).`,
      '',
      '| scenario | frames | p50 | p95 | p99 | max | frames > 50 ms |',
      '|---|---|---|---|---|---|---|',
      row('idle (baseline), 3 s', idle),
      row('50 msg/s into a 10,000-message pane, 15 s', arriving),
      row('scrolling up at wheel speed (120 px/frame), 5 s', scrolling),
      row('fling: bottom → top of 10,000 in 4 s', fling),
      '',
      `Floor: p95 ≤ 50 ms while 50 msg/s arrive → **${arriving.p95 <= 50 ? 'met' : 'NOT met'}** (p95 ${fmt(arriving.p95)} ms).`,
      '',
      ...(memory ? memorySection(memory) : []),
    ].join('\n');
  } finally {
    await browser.close();
    await harness.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.info(await run());
