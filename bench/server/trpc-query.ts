import {
  fmt,
  load,
  type LoadResult,
  machine,
  runIfMain,
  spawnChatServer,
  spawnNode,
  createBenchDatabase,
} from './support/server';

/** A trivial tRPC query (`time`, over HTTP) beside a bare node:http handler returning the same JSON. */
async function measure(url: string): Promise<LoadResult> {
  await load({ url, duration: 2 });
  return load({ url, duration: 8 });
}

export async function run(): Promise<string> {
  const bench = await createBenchDatabase();
  try {
    const server = await spawnChatServer(bench.url);
    const ours = await measure(`${server.url}/trpc/time`);
    await server.stop();
    const bare = await spawnNode('bench/server/support/baseline-trivial.ts', {});
    const base = await measure(bare.url);
    await bare.stop();
    const ratio = ours.rps / base.rps;
    return [
      '## Chat server: trivial tRPC query vs bare node:http',
      '',
      `${machine()}; each server in a child process, autocannon (50 connections, 8 s after 2 s warm-up).`,
      'Ours is `npm run server` with ops attached (request id, Prometheus metrics, request log filtered at warn);',
      'queries and mutations go through our lean tRPC HTTP adapter (src/server/routers/http-adapter.ts).',
      '',
      '| | req/s | p50 ms | p99 ms | errors |',
      '|---|---|---|---|---|',
      `| tRPC \`time\` (GET /trpc/time) | ${fmt(ours.rps)} | ${fmt(ours.p50)} | ${fmt(ours.p99)} | ${ours.errors + ours.non2xx} |`,
      `| bare node:http | ${fmt(base.rps)} | ${fmt(base.p50)} | ${fmt(base.p99)} | ${base.errors + base.non2xx} |`,
      '',
      `Ratio ${ratio.toFixed(2)}× (floor ≥ 0.5×: ${ratio >= 0.5 ? 'met' : 'NOT met'}).`,
      '',
    ].join('\n');
  } finally {
    await bench.drop();
  }
}

await runIfMain(import.meta, run);
