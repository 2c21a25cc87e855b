import type autocannon from 'autocannon';
import { seedLive, seedUser } from '../../src/server/testing/fixtures';
import { createBenchDatabase, fmt, load, machine, runIfMain, spawnChatServer } from './support/server';

/**
 * Messages/s one node accepts and persists with 50 concurrent senders (50 accounts: one author's sends are
 * serialised by design), through the REST chat endpoint, on Postgres with synchronous commit (fsync on).
 */
const SENDERS = 50;

export async function run(): Promise<string> {
  const bench = await createBenchDatabase();
  try {
    const host = await seedUser(bench.env, 'Mariam', 'Diallo');
    const live = await seedLive(bench.env, host.user);
    const tokens: string[] = [];
    for (let i = 0; i < SENDERS; i++) tokens.push((await seedUser(bench.env, `Sender${i}`, 'Load')).token);
    const server = await spawnChatServer(bench.url);
    let next = 0;
    const options: autocannon.Options = {
      url: `${server.url}/api/posts/live/${live.id}/chat/`,
      connections: SENDERS,
      requests: [
        {
          method: 'POST',
          // One account per connection (the context lives as long as the connection).
          setupRequest: (request, context) => {
            const ctx = context as { token?: string };
            ctx.token ??= tokens[next++ % SENDERS];
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.token}` },
              body: JSON.stringify({ content: 'load test message' }),
            };
          },
        },
      ],
    };
    await load({ ...options, duration: 2 });
    const before = Number(
      (await bench.database.query<{ n: string }>('select count(*) as n from chat_messages'))[0]!.n,
    );
    const started = Date.now();
    const result = await load({ ...options, duration: 10 });
    const seconds = (Date.now() - started) / 1000;
    const after = Number(
      (await bench.database.query<{ n: string }>('select count(*) as n from chat_messages'))[0]!.n,
    );
    await server.stop();
    const persisted = (after - before) / seconds;
    return [
      '## Chat server: accepted messages/s, 50 concurrent senders',
      '',
      `${machine()}; Postgres with fsync and synchronous_commit on; the server in a child process, autocannon`,
      `(${SENDERS} connections, one account each, 10 s after a 2 s warm-up) POSTing to the REST chat endpoint.`,
      '',
      '| accepted req/s (201) | rows persisted /s | p50 ms | p99 ms | errors + non-2xx |',
      '|---|---|---|---|---|',
      `| ${fmt(result.rps)} | ${fmt(persisted)} | ${fmt(result.p50)} | ${fmt(result.p99)} | ${result.errors + result.non2xx} |`,
      '',
      `Floor 3,000/s on Postgres: ${persisted >= 3000 ? 'met' : 'NOT met'}.`,
      '',
    ].join('\n');
  } finally {
    await bench.drop();
  }
}

await runIfMain(import.meta, run);
