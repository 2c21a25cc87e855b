import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openServerDatabase, type ServerDatabase } from '../../../src/server/db/client';
import { migrateServerDatabase } from '../../../src/server/db/migrate';
import { createDomainEnv, type DomainEnv } from '../../../src/server/domain/env';
import { publishNotice } from '../../../src/server/realtime/fanout';

/** Shared pieces of the chat server benchmarks: a fresh Postgres database, child processes, load, stats. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type BenchDatabase = { url: string; database: ServerDatabase; env: DomainEnv; drop(): Promise<void> };

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `cc_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openServerDatabase({ url: url.toString() });
  await migrateServerDatabase(database);
  return {
    url: url.toString(),
    database,
    env: createDomainEnv(database, { publish: publishNotice }),
    drop: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * `count` messages on a live, the two authors alternating, 50 ms apart from two hours ago, with the kept counts
 * set as the send path would have left them. `content` is an SQL expression of `i` (1…count).
 */
export async function insertChatMessages(
  bench: BenchDatabase,
  live: { postId: number; authorIds: [number, number]; count: number; content?: string },
): Promise<void> {
  const [even, odd] = live.authorIds;
  await bench.env.db.execute(sql`
    insert into chat_messages (post_id, author_id, client_id, content, created_at)
    select ${live.postId}, case when i % 2 = 0 then ${even}::bigint else ${odd}::bigint end, gen_random_uuid(),
           ${sql.raw(live.content ?? "'message number ' || i")}, now() - interval '2 hours' + i * interval '50 ms'
    from generate_series(1, ${live.count}) i`);
  await bench.env.db.execute(
    sql`insert into post_counters (post_id, shard, visible, listed) values (${live.postId}, 0, ${live.count}, ${live.count})`,
  );
}

export type Child = { url: string; process: ChildProcess; stop(): Promise<void> };

/** Starts a Node script (tsx) that prints `listening on <url>` (or the chat server's banner) and waits for it. */
export async function spawnNode(script: string, env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /(?:listening on|chat server on) (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}): ${output}`)));
    setTimeout(() => reject(new Error(`${script} did not start: ${output}`)), 60_000).unref();
  });
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`${script} died (${code ?? signal}):\n${output.slice(-4000)}`);
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/** The environment of a chat server under load: any free port on loopback, the rate limits lifted. */
export function loadServerEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    CHAT_RATE_VIEWER: '100000000',
    CHAT_RATE_PRIVILEGED: '100000000',
    NOTIFY_PROBE_MS: '0',
  };
}

/** The real chat server (`npm run server`) on a database, with the rate limits lifted for load. */
export function spawnChatServer(databaseUrl: string, extra: Record<string, string> = {}) {
  return spawnNode('src/server/main.ts', { ...loadServerEnv(databaseUrl), ...extra });
}

export type LoadResult = { rps: number; p50: number; p99: number; errors: number; non2xx: number };

export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 50, duration: 8, ...options });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export function percentile(samples: number[], p: number): number {
  const sorted = Float64Array.from(samples).sort();
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

export const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The machine, and how busy it was: other agents share these 2 cores, so the load average matters. */
export const machine = () =>
  `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' / ')} at the end`;

/** Lets a bench file run alone: `node --import tsx bench/server/<file>.ts` prints its section. */
export async function runIfMain(meta: ImportMeta, run: () => Promise<string>) {
  if (process.argv[1] && meta.url === pathToFileURL(process.argv[1]).href) {
    console.info(await run());
    process.exit(0);
  }
}
