import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createHost } from '../src/host/host';

/**
 * How long the host blocks the thread it runs on (in the app: Electron's main process, which also routes input
 * events and IPC for the window). Run: `node --import tsx scripts/measure-host-blocking.ts`. The numbers decide
 * main process vs utilityProcess (see src/main/host-lifecycle.ts).
 */
const dir = mkdtempSync(join(tmpdir(), 'cc-measure-'));
const host = await createHost({ dataDir: dir });
const sqlite = host.database.sqlite;
sqlite.exec(
  'CREATE TABLE measure_blocking (id INTEGER PRIMARY KEY, live_id INTEGER, content TEXT, created_at TEXT)',
);
const insert = sqlite.prepare('INSERT INTO measure_blocking (live_id, content, created_at) VALUES (?, ?, ?)');
const text = 'Bonjour à tous, merci d’être là ce soir ! '.repeat(3);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const time = (fn: () => void) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};

// One durable chat send (synchronous=FULL: the commit waits for fsync).
const single = Array.from({ length: 200 }, () => time(() => insert.run(1, text, new Date().toISOString())));
// A sync pull of 500 events applied in one transaction.
const batch = sqlite.transaction((n: number) => {
  for (let i = 0; i < n; i++) insert.run(2, text, new Date().toISOString());
});
const batches = Array.from({ length: 20 }, () => time(() => batch(500)));

// Event-loop delay while a recording streams 1 MB chunks to disk (async fs) and chat messages arrive.
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const { open } = await import('node:fs/promises');
const file = await open(join(dir, 'chunks.webm'), 'w');
const chunk = Buffer.alloc(1024 * 1024, 7);
for (let i = 0; i < 60; i++) {
  await file.write(chunk);
  insert.run(3, text, new Date().toISOString());
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await file.sync();
await file.close();
loop.disable();

const ms = (value: number) => `${value.toFixed(2)} ms`;
console.info(`single durable insert: p50 ${ms(percentile(single, 50))}, p99 ${ms(percentile(single, 99))}`);
console.info(`500-event transaction: p50 ${ms(percentile(batches, 50))}, max ${ms(Math.max(...batches))}`);
console.info(
  `event-loop delay while writing 60 MB of chunks + messages: p99 ${ms(loop.percentile(99) / 1e6)}, max ${ms(loop.max / 1e6)}`,
);
await host.close();
rmSync(dir, { recursive: true, force: true });
