import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { startNginx } from '../../scripts/cluster';
import { type ChatNode, startChatNode } from '../../src/server/faults/support/chat-node';
import {
  type Client,
  connect,
  signUp,
  subscribe,
  type Subscriber,
} from '../../src/server/faults/support/chat-swarm';
import { type PrivatePostgres, startPrivatePostgres } from '../../src/server/testing/private-postgres';

/**
 * The cluster benchmark (issue 9): 1, 2 and 3 nodes on one Postgres (a private cluster, default settings),
 * measured from this same machine — 2 cores shared by Postgres, the nodes, nginx and the load generator, and by
 * other agents' work while it runs, so the absolute figures are floors and the ratios matter more.
 *
 * Per node count:
 *  - fan-out at fixed load: SUBSCRIBERS WebSocket subscriptions spread over the nodes (direct, round robin, so
 *    that same-node and cross-node deliveries can be told apart), one sender at RATE messages/s on node 1;
 *    send→receive latency p50/p99 per delivery, deliveries/s, lost deliveries;
 *  - accepted messages/s: autocannon POSTs to the REST chat endpoint through nginx, SENDERS authors (one author's
 *    sends are serialised by design), CONNECTIONS connections, for a fixed time, subscribers still attached;
 *  - the NOTIFY probe's lag as the nodes measured it (chat_notify_lag_seconds).
 */
const NODE_COUNTS = [1, 2, 3];
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 10);
const FANOUT_SECONDS = Number(process.env.BENCH_FANOUT_SECONDS ?? 8);
const SENDERS = 50;
/** Authors sharing the fixed-rate load: one author's sends are serialised (idempotency, rate limit), ~25/s here. */
const FANOUT_SENDERS = 10;
const CONNECTIONS = 50;
const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 6);

type Row = {
  nodes: number;
  deliveriesPerSecond: number;
  expectedDeliveries: number;
  deliveries: number;
  p50: number;
  p99: number;
  sameNodeP50: number | null;
  crossNodeP50: number | null;
  acceptedPerSecond: number;
  sendP99: number;
  non2xx: number;
  notifyLagMs: number;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function notifyLagMs(node: ChatNode): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const value = (name: string) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(`${name} `))
        ?.split(' ')[1],
    );
  return (value('chat_notify_lag_seconds_sum') / value('chat_notify_lag_seconds_count')) * 1000;
}

async function measure(
  nodeCount: number,
  databaseUrl: string,
  accounts: { viewerToken: string; senderTokens: string[] },
): Promise<Row> {
  const env = {
    CHAT_RATE_VIEWER: '1000000000',
    CHAT_RATE_PRIVILEGED: '1000000000',
    NOTIFY_PROBE_MS: '500',
    LOG_LEVEL: 'warn',
  };
  const nodes = await Promise.all(
    Array.from({ length: nodeCount }, (_, i) => startChatNode({ databaseUrl, nodeId: `node-${i + 1}`, env })),
  );
  const nginx = await startNginx(nodes.map((node) => node.port));
  const clients: Client[] = [];
  try {
    // A fresh live per run, created by a host signed up on node 1.
    const host = await signUp(nodes[0]!.url, 'Host');
    clients.push(host);
    const live = await host.client.lives.create.mutate({ title: `bench ${nodeCount} nodes` });
    await host.client.lives.start.mutate({ postId: live.id });
    const { cursor } = await host.client.chat.pull.query({ postId: live.id, cursor: 0 });
    const senders = accounts.senderTokens
      .slice(0, FANOUT_SENDERS)
      .map((token) => connect(nodes[0]!.url, token));
    clients.push(...senders);

    const subscribers: { node: number; subscriber: Subscriber }[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const node = i % nodeCount;
      const client = connect(nodes[node]!.url, accounts.viewerToken);
      clients.push(client);
      subscribers.push({ node, subscriber: subscribe(client, live.id, cursor) });
    }
    // Let every WebSocket open and subscribe before the clock starts.
    const opened = Date.now();
    const sentAt = new Map<number, number>();
    await host.client.chat.send.mutate({
      postId: live.id,
      clientId: crypto.randomUUID(),
      content: 'warm-up',
    });
    while (subscribers.some((s) => s.subscriber.ids.length === 0) && Date.now() - opened < 30_000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    for (const s of subscribers) {
      s.subscriber.ids.length = 0;
      s.subscriber.receivedAt.clear();
    }

    // Fan-out at a fixed rate.
    const started = Date.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; Date.now() - started < FANOUT_SECONDS * 1000; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const at = Date.now();
      sends.push(
        senders[i % senders.length]!.client.chat.send.mutate({
          postId: live.id,
          clientId: crypto.randomUUID(),
          content: `bench ${i}`,
        }).then((message) => void sentAt.set(message.id, at)),
      );
    }
    await Promise.all(sends);
    const expected = sentAt.size * SUBSCRIBERS;
    const settle = Date.now();
    const delivered = () => subscribers.reduce((n, s) => n + s.subscriber.receivedAt.size, 0);
    while (delivered() < expected && Date.now() - settle < 10_000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const fanoutDeliveries = delivered();
    const elapsed =
      (Math.max(...subscribers.flatMap((s) => [...s.subscriber.receivedAt.values()])) - started) / 1000;

    const all: number[] = [];
    const same: number[] = [];
    const cross: number[] = [];
    for (const { node, subscriber } of subscribers) {
      for (const [id, at] of subscriber.receivedAt) {
        const sent = sentAt.get(id);
        if (sent === undefined) continue;
        all.push(at - sent);
        (node === 0 ? same : cross).push(at - sent);
      }
    }
    for (const list of [all, same, cross]) list.sort((a, b) => a - b);

    // The probe's lag at the fixed load (the throughput phase below saturates the pools, which the probe shares).
    const lags = await Promise.all(nodes.map(notifyLagMs));

    // Accepted messages/s through nginx, many authors, subscribers still attached.
    let turn = 0;
    const result = await autocannon({
      url: `${nginx.url}/api/posts/live/${live.id}/chat/`,
      method: 'POST',
      connections: CONNECTIONS,
      duration: THROUGHPUT_SECONDS,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'load' }),
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            headers: {
              ...request.headers,
              authorization: `Token ${accounts.senderTokens[turn++ % accounts.senderTokens.length]}`,
            },
          }),
        },
      ],
    });
    for (const s of subscribers) s.subscriber.stop();
    return {
      nodes: nodeCount,
      deliveriesPerSecond: fanoutDeliveries / elapsed,
      expectedDeliveries: expected,
      deliveries: fanoutDeliveries,
      p50: percentile(all, 50),
      p99: percentile(all, 99),
      sameNodeP50: nodeCount > 1 ? percentile(same, 50) : null,
      crossNodeP50: nodeCount > 1 ? percentile(cross, 50) : null,
      acceptedPerSecond: result['2xx'] / result.duration,
      sendP99: result.latency.p99,
      non2xx: result.non2xx,
      notifyLagMs: lags.reduce((a, b) => a + b, 0) / lags.length,
    };
  } finally {
    for (const client of clients) client.close();
    await nginx.stop();
    await Promise.allSettled(nodes.map((node) => node.stop()));
  }
}

/**
 * The floor under "accepted msg/s": bare transactions on the same cluster, 50 concurrent, each an insert and a
 * commit, with and without a NOTIFY — what Postgres itself allows here, and what NOTIFY costs at commit.
 */
async function bareCommitsPerSecond(databaseUrl: string, notify: boolean): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  try {
    await pool.query('create table if not exists bench_bare (id bigserial primary key, content text)');
    let commits = 0;
    const end = Date.now() + 4000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < end) {
          const client = await pool.connect();
          try {
            await client.query('begin');
            await client.query('insert into bench_bare (content) values ($1)', ['load']);
            if (notify) await client.query("select pg_notify('bench_bare', '1:1')");
            await client.query('commit');
            commits++;
          } finally {
            client.release();
          }
        }
      }),
    );
    return commits / 4;
  } finally {
    await pool.end();
  }
}

export async function run(): Promise<string> {
  const load = loadavg()[0]!.toFixed(1);
  let postgres: PrivatePostgres | undefined;
  const rows: Row[] = [];
  let bare = { plain: Number.NaN, notify: Number.NaN };
  try {
    postgres = await startPrivatePostgres();
    const databaseUrl = await postgres.createDatabase('bench_cluster');
    // Accounts once (scrypt is slow on purpose): one viewer shared by all subscriptions, SENDERS authors.
    const setup = await startChatNode({ databaseUrl, nodeId: 'setup' });
    const viewer = await signUp(setup.url, 'Viewer');
    viewer.close();
    const senderTokens: string[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const sender = await signUp(setup.url, `Sender${i}`);
      sender.close();
      senderTokens.push(sender.token);
    }
    await setup.stop();
    for (const count of NODE_COUNTS) {
      rows.push(await measure(count, databaseUrl, { viewerToken: viewer.token, senderTokens }));
    }
    bare = {
      plain: await bareCommitsPerSecond(databaseUrl, false),
      notify: await bareCommitsPerSecond(databaseUrl, true),
    };
  } finally {
    await postgres?.destroy();
  }
  const ms = (value: number | null) =>
    value === null || Number.isNaN(value) ? '—' : `${value.toFixed(0)} ms`;
  const single = rows[0]!;
  return [
    '## Cluster: N nodes on one Postgres behind nginx (bench/cluster/cluster.ts)',
    '',
    `${cpus().length} cores shared by Postgres 15 (private cluster, default settings, fsync on), the N nodes, nginx and`,
    `the load generator — and by other agents' work (1-min load average ${load} at the start). More nodes cannot add`,
    'CPU here: the figures show the cost of the extra hops, not the gain a real multi-machine deployment would see.',
    '',
    `Fan-out: ${SUBSCRIBERS} WebSocket subscriptions (round robin over the nodes), ${RATE} msg/s from ${FANOUT_SENDERS} authors on`,
    `node 1 for ${FANOUT_SECONDS} s; latency is send → receive per delivery (the send's own time included), measured in`,
    'the same process.',
    `Accepted: autocannon, REST POST through nginx, ${SENDERS} authors, ${CONNECTIONS} connections, ${THROUGHPUT_SECONDS} s,`,
    'with the subscriptions still attached (each accepted message is fanned out to all of them).',
    '',
    '| nodes | accepted msg/s | send p99 | non-2xx | deliveries/s | delivered | p50 | p99 | same-node p50 | cross-node p50 | NOTIFY probe lag |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) =>
      [
        '',
        row.nodes,
        row.acceptedPerSecond.toFixed(0),
        ms(row.sendP99),
        row.non2xx,
        row.deliveriesPerSecond.toFixed(0),
        `${row.deliveries}/${row.expectedDeliveries}`,
        ms(row.p50),
        ms(row.p99),
        ms(row.sameNodeP50),
        ms(row.crossNodeP50),
        `${row.notifyLagMs.toFixed(1)} ms`,
        '',
      ]
        .join(' | ')
        .trim(),
    ),
    '',
    `NOTIFY path vs a single node: p50 ${ms(single.p50)} on 1 node (which also goes through NOTIFY: a node hears its`,
    'own notices back from Postgres); the cross-node column is the extra Postgres→other-node hop, the probe column',
    'the bare NOTIFY round trip (publish through the pool → LISTEN) as each node measured it during the fan-out phase.',
    '',
    `Postgres alone on the same cluster, ${CONNECTIONS} concurrent transactions of one insert each: ${bare.plain.toFixed(0)} commits/s,`,
    `${bare.notify.toFixed(0)} commits/s when each also sends a NOTIFY (notifying commits take a global lock in turn).`,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(
    (section) => {
      console.info(section);
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
