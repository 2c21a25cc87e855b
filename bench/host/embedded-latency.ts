/**
 * A message sent on one studio, visible in another studio's cache, through the embedded chat server (issue 4):
 * host A runs the server in-process (PGlite under its data dir); host B is connected to it as a remote server.
 * Measured: A's chat.send → B's cache change (the row B's renderer would be told about), p50/p99, one message at
 * a time. `node --import tsx bench/host/embedded-latency.ts`.
 */
import { performance } from 'node:perf_hooks';
import { createHost, type Host } from '../../src/host/host';
import { hostRouter } from '../../src/host/routers/index';
import { ms, percentile, runIfMain, tempDir } from './support';

const MESSAGES = Number(process.env.BENCH_EMBEDDED_MESSAGES ?? 300);
const WARMUP = 20;

export async function run(): Promise<string> {
  const dirA = tempDir('cc-bench-embedded-a-');
  const dirB = tempDir('cc-bench-embedded-b-');
  let a: Host | null = null;
  let b: Host | null = null;
  try {
    const startedAt = performance.now();
    a = await createHost({
      dataDir: dirA.dir,
      embeddedServer: { limits: { rateViewer: 1_000_000, ratePrivileged: 1_000_000 } },
    });
    const apiA = hostRouter.createCaller({ host: a, transport: 'direct' });
    await apiA.connection.choose({ mode: 'embedded' });
    const embeddedStartMs = performance.now() - startedAt;
    const url = a.link.target!.url;
    await apiA.account.register({
      email: 'a@example.test',
      password: 'bench password',
      first_name: 'A',
      last_name: 'Host',
    });
    const live = await apiA.lives.create({ title: 'Embedded bench', description: '' });
    await apiA.lives.start({ liveId: live.id });

    b = await createHost({ dataDir: dirB.dir, serverUrl: url });
    const apiB = hostRouter.createCaller({ host: b, transport: 'direct' });
    await apiB.account.register({
      email: 'b@example.test',
      password: 'bench password',
      first_name: 'B',
      last_name: 'Mod',
    });
    await apiB.lives.list();
    await apiB.chat.list({ liveId: live.id });
    while (b.status.get().state !== 'online') await new Promise((r) => setTimeout(r, 10));

    const arrivals = new Map<string, number>();
    let waiting: { clientId: string; resolve: () => void } | null = null;
    b.chat.changes.listen((change) => {
      const now = performance.now();
      for (const m of change.messages) {
        if (!arrivals.has(m.client_id)) arrivals.set(m.client_id, now);
        if (waiting && m.client_id === waiting.clientId) waiting.resolve();
      }
    });
    const samples: number[] = [];
    for (let i = 0; i < WARMUP + MESSAGES; i++) {
      const t0 = performance.now();
      const sent = await apiA.chat.send({ liveId: live.id, content: `latency ${i}` });
      if (!arrivals.has(sent.client_id))
        await new Promise<void>((resolve) => {
          waiting = { clientId: sent.client_id, resolve };
        });
      waiting = null;
      if (i >= WARMUP) samples.push(arrivals.get(sent.client_id)! - t0);
    }
    return [
      '## Host: send → another host’s cache through the embedded server (PGlite)',
      '',
      '| measure | result |',
      '|---|---|',
      `| A chat.send → B's cache change, ${MESSAGES} messages one at a time | p50 **${ms(percentile(samples, 50))}**, p99 **${ms(percentile(samples, 99))}** (max ${ms(Math.max(...samples))}) |`,
      `| embedded server start (PGlite create + migrate + listen), first run | ${ms(embeddedStartMs)} |`,
      '',
      "Path: A's SQLite outbox (durable commit) → A's push over HTTP → embedded server (PGlite, in A's process) →",
      "WebSocket subscription → B's SQLite cache (one transaction) → B's change notification.",
      '',
    ].join('\n');
  } finally {
    await b?.close();
    await a?.close();
    dirA.remove();
    dirB.remove();
  }
}

runIfMain(import.meta.url, run);
