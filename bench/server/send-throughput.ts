import { createServer } from 'node:http';
import type autocannon from 'autocannon';
import pg from 'pg';
import { seedLive, seedUser } from '../../src/server/testing/fixtures';
import { serveOnLoopback } from './support/baseline-http';
import {
  createBenchDatabase,
  fmt,
  type LoadResult,
  load,
  machine,
  runIfMain,
  spawnChatServer,
  spawnNode,
} from './support/server';

/**
 * Messages/s one node accepts and persists with 50 concurrent senders (50 accounts: one author's sends are
 * serialised by design), through the REST chat endpoint, on Postgres with synchronous commit (fsync on).
 * Beside it, in the same run, the baseline: a bare node:http + pg handler that inserts each message in its own
 * statement (one fsync'd commit per message, no auth, no checks) — the ceiling of "one transaction per send".
 * This file is also that baseline server when SEND_BASELINE_DATABASE_URL is set (spawned by run()).
 */
const SENDERS = 50;
const WARM_UP_S = 2;
const MEASURE_S = 10;

type Measured = LoadResult & { persisted: number };

async function countMessages(database: { query: (sql: string) => Promise<{ n: string }[]> }) {
  return Number((await database.query('select count(*) as n from chat_messages'))[0]!.n);
}

async function measure(
  options: autocannon.Options,
  database: { query: (sql: string) => Promise<{ n: string }[]> },
): Promise<Measured> {
  await load({ ...options, duration: WARM_UP_S });
  const before = await countMessages(database);
  const started = Date.now();
  const result = await load({ ...options, duration: MEASURE_S });
  const seconds = (Date.now() - started) / 1000;
  return { ...result, persisted: ((await countMessages(database)) - before) / seconds };
}

/** POSTs `{content}` with one account per connection (the context lives as long as the connection). */
function senders(url: string, tokens: string[]): autocannon.Options {
  let next = 0;
  return {
    url,
    connections: SENDERS,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const ctx = context as { token?: string };
          ctx.token ??= tokens[next++ % tokens.length];
          return {
            ...request,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.token}` },
            body: JSON.stringify({ content: 'load test message' }),
          };
        },
      },
    ],
  };
}

export async function run(): Promise<string> {
  const bench = await createBenchDatabase();
  try {
    const host = await seedUser(bench.env, 'Mariam', 'Diallo');
    const live = await seedLive(bench.env, host.user);
    const tokens: string[] = [];
    for (let i = 0; i < SENDERS; i++) tokens.push((await seedUser(bench.env, `Sender${i}`, 'Load')).token);

    const server = await spawnChatServer(bench.url);
    const ours = await measure(
      senders(`${server.url}/api/posts/live/${live.id}/chat/`, tokens),
      bench.database,
    );
    await server.stop();

    const bare = await spawnNode('bench/server/send-throughput.ts', {
      SEND_BASELINE_DATABASE_URL: bench.url,
      SEND_BASELINE_POST: String(live.id),
      SEND_BASELINE_AUTHOR: String(host.user.id),
    });
    const base = await measure(senders(bare.url, tokens), bench.database);
    await bare.stop();

    const row = (name: string, m: Measured) =>
      `| ${name} | ${fmt(m.rps)} | ${fmt(m.persisted)} | ${fmt(m.p50)} | ${fmt(m.p99)} | ${m.errors + m.non2xx} |`;
    return [
      '## Chat server: accepted messages/s, 50 concurrent senders',
      '',
      `${machine()}; Postgres with fsync and synchronous_commit on; each server in a child process, autocannon`,
      `(${SENDERS} connections, one account each, ${MEASURE_S} s after a ${WARM_UP_S} s warm-up) POSTing a message.`,
      'The chat server writes concurrent sends together: one transaction per batch (src/server/domain/send-batcher.ts).',
      '',
      '| | accepted req/s (201) | rows persisted /s | p50 ms | p99 ms | errors + non-2xx |',
      '|---|---|---|---|---|---|',
      row('chat server, REST `POST …/chat/`', ours),
      row('baseline: bare node:http + pg, one insert (commit) per message', base),
      '',
      `Ratio ${(ours.persisted / base.persisted).toFixed(2)}× the baseline. Floor 3,000/s on Postgres: ${ours.persisted >= 3000 ? 'met' : 'NOT met'}.`,
      '',
    ].join('\n');
  } finally {
    await bench.drop();
  }
}

/** The baseline server: what one autocommitted insert per message gives, with nothing else in the way. */
function serveBaseline(url: string, postId: number, authorId: number) {
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const { content } = JSON.parse(body) as { content: string };
      pool
        .query(
          `insert into chat_messages (post_id, author_id, client_id, content)
           values ($1, $2, gen_random_uuid(), $3) returning id, content, created_at`,
          [postId, authorId, content],
        )
        .then(({ rows }) => {
          const message = rows[0] as { id: string; content: string; created_at: Date };
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id: Number(message.id),
              content: message.content,
              timestamp: message.created_at.toISOString(),
            }),
          );
        })
        .catch((error: Error) => {
          res.writeHead(500);
          res.end(error.message);
        });
    });
  });
  serveOnLoopback(server, pool);
}

const baselineUrl = process.env.SEND_BASELINE_DATABASE_URL;
if (baselineUrl)
  serveBaseline(
    baselineUrl,
    Number(process.env.SEND_BASELINE_POST),
    Number(process.env.SEND_BASELINE_AUTHOR),
  );
else await runIfMain(import.meta, run);
