import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canRunPrivatePostgres,
  type PrivatePostgres,
  startPrivatePostgres,
} from '../testing/private-postgres';
import { requireFacility, PRIVATE_POSTGRES_NEEDS } from '../testing/requirements';
import { type ChatNode, startChatNode } from './support/chat-node';
import {
  type Client,
  exactlyOnce,
  signUp,
  startLive,
  steadySender,
  type Subscriber,
  subscribe,
  waitFor,
} from './support/chat-swarm';

/**
 * Fault: Postgres restarts in the middle of a live. One node (a real process) on a private cluster, 20
 * subscribers, one steady sender that retries like the host's outbox. While Postgres is down sends fail and are
 * retried, the pool drops its dead connections, the fan-out's LISTEN connection is lost; once it is back the
 * node must LISTEN again and re-read, so that every subscriber ends with every accepted message exactly once.
 */
const SUBSCRIBERS = 20;

describe('fault: Postgres restarts during a live', () => {
  let postgres: PrivatePostgres;
  let node: ChatNode;
  const clients: Client[] = [];

  beforeAll(async () => {
    requireFacility(canRunPrivatePostgres(), PRIVATE_POSTGRES_NEEDS);
    postgres = await startPrivatePostgres();
    const databaseUrl = await postgres.createDatabase('fault_restart');
    node = await startChatNode({
      databaseUrl,
      env: { CHAT_RATE_PRIVILEGED: '100000', NOTIFY_PROBE_MS: '200' },
    });
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await node?.stop();
    await postgres?.destroy();
  });

  it('every subscriber ends with every accepted message exactly once', async () => {
    const { host, postId } = await startLive(node.url);
    clients.push(host);
    const { cursor } = await host.client.chat.pull.query({ postId, cursor: 0 });
    const subscribers: Subscriber[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const viewer = await signUp(node.url, `Viewer${i}`);
      clients.push(viewer);
      subscribers.push(subscribe(viewer, postId, cursor));
    }
    const sender = steadySender(host, postId, { intervalMs: 50 });
    await waitFor(() => sender.accepted.length >= 20, 'messages before the restart');

    await postgres.restart({ downMs: 1500, mode: 'fast' });
    const acceptedAtRestart = sender.accepted.length;
    await waitFor(
      () => sender.accepted.length >= acceptedAtRestart + 20,
      'messages after the restart',
      30_000,
    );
    await sender.stop();

    const acceptedIds = sender.accepted.map((record) => record.id);
    expect(sender.refused).toEqual([]);
    expect(sender.retries()).toBeGreaterThan(0); // the outage was real: some sends had to be retried
    expect(new Set(acceptedIds).size).toBe(acceptedIds.length); // a retry never created a second message

    await waitFor(
      () => subscribers.every((s) => new Set(s.ids).size >= acceptedIds.length),
      'every subscriber to catch up',
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // a late duplicate would show up now
    for (const subscriber of subscribers) {
      expect(exactlyOnce(subscriber, acceptedIds)).toEqual({ missing: [], duplicated: [], unexpected: [] });
    }

    // The server's own record agrees: exactly the accepted messages, once each.
    const pulled = await host.client.chat.pull.query({ postId, cursor, limit: 1000 });
    const stored = pulled.events.flatMap((event) => (event.type === 'message' ? [event.message.id] : []));
    expect(stored.sort((a, b) => a - b)).toEqual([...acceptedIds].sort((a, b) => a - b));

    // The node noticed and recovered: its metrics count the lost LISTEN connection and pool errors.
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    expect(metrics).toMatch(/chat_listen_reconnects_total [1-9]/);
    expect(metrics).toMatch(/chat_messages_accepted_total [1-9]/);
    expect(metrics).toMatch(/chat_notify_lag_seconds_count [1-9]/);
    expect((await fetch(`${node.url}/ready`)).status).toBe(200);
    for (const subscriber of subscribers) subscriber.stop();
  }, 120_000);
});
