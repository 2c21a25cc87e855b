import { sql } from 'drizzle-orm';
import { seedLive, seedUser } from '../../src/server/testing/fixtures';
import {
  createBenchDatabase,
  insertChatMessages,
  fmt,
  load,
  type LoadResult,
  machine,
  runIfMain,
  spawnChatServer,
  spawnNode,
} from './support/server';

/**
 * REST `GET …/chat/messages/` on a live with 100,000 messages, first and last page, 50 concurrent clients,
 * against the real server (child process, Postgres) and a bare node:http + pg handler running the same SQL.
 */
const MESSAGES = 100_000;
const PAGE_SIZE = 50;

async function measure(url: string, headers: Record<string, string> = {}): Promise<LoadResult> {
  await load({ url, headers, duration: 2 }); // warm-up: JIT, pool, caches
  return load({ url, headers, duration: 8 });
}

export async function run(): Promise<string> {
  const bench = await createBenchDatabase();
  try {
    const host = await seedUser(bench.env, 'Mariam', 'Diallo');
    const viewer = await seedUser(bench.env, 'Vera', 'Viewer');
    const live = await seedLive(bench.env, host.user);
    await insertChatMessages(bench, {
      postId: live.id,
      authorIds: [host.user.id, viewer.user.id],
      count: MESSAGES,
    });
    await bench.env.db.execute(sql`vacuum analyze chat_messages`);
    const lastPage = Math.ceil(MESSAGES / PAGE_SIZE);
    const rows: string[] = [];

    const server = await spawnChatServer(bench.url);
    const auth = { authorization: `Bearer ${viewer.token}` };
    const path = `${server.url}/api/posts/live/${live.id}/chat/messages/?page_size=${PAGE_SIZE}`;
    const check = await (await fetch(`${path}&page=${lastPage}`, { headers: auth })).json();
    if (check.count !== MESSAGES || check.results.length !== PAGE_SIZE) throw new Error('bad last page');
    const ours = {
      first: await measure(`${path}&page=1`, auth),
      last: await measure(`${path}&page=${lastPage}`, auth),
    };
    await server.stop();

    const baseline = await spawnNode('bench/server/support/baseline-rest.ts', { DATABASE_URL: bench.url });
    const base = {
      first: await measure(`${baseline.url}/?post=${live.id}&page=1`),
      last: await measure(`${baseline.url}/?post=${live.id}&page=last`),
    };
    await baseline.stop();

    for (const which of ['first', 'last'] as const) {
      const o = ours[which];
      const b = base[which];
      rows.push(
        `| ${which} page | ${fmt(o.rps)} | ${fmt(o.p50)} | ${fmt(o.p99)} | ${fmt(b.rps)} | ${fmt(b.p99)} | ${(o.rps / b.rps).toFixed(2)}× | ${o.errors + o.non2xx} |`,
      );
    }
    const floorMet = (['first', 'last'] as const).every(
      (w) => ours[w].rps >= 1000 && ours[w].p99 <= 100 && ours[w].rps >= 0.6 * base[w].rps,
    );
    return [
      '## Chat server: REST messages page on a 100,000-message live',
      '',
      `${machine()}; Postgres at ${new URL(bench.url).host}; server and baseline each in a child process,`,
      'autocannon (50 connections, 8 s after a 2 s warm-up) in the parent, all on the same machine.',
      'Our server (`npm run server` with ops: request id, metrics): the token → user cache, then two prepared',
      'statements (the live with the caller role and the kept counts, then the rows from the nearer end of the',
      'partial index). The baseline: bare node:http + pg, the count and the rows as two prepared statements in',
      'parallel, without routing, auth or validation.',
      '',
      '| page | req/s | p50 ms | p99 ms | baseline req/s | baseline p99 ms | vs baseline | errors |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Floor (≥ 1,000 req/s, p99 ≤ 100 ms, ≥ 0.6× baseline, every page): ${floorMet ? 'met' : 'NOT met'}.`,
      '',
    ].join('\n');
  } finally {
    await bench.drop();
  }
}

await runIfMain(import.meta, run);
