import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findNginx, type RunningNginx, startNginx } from '../../../scripts/cluster';
import {
  canRunPrivatePostgres,
  type PrivatePostgres,
  startPrivatePostgres,
} from '../testing/private-postgres';
import { NGINX_NEEDS, PRIVATE_POSTGRES_NEEDS, requireFacility } from '../testing/requirements';
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
 * Faults: losing one of two nodes behind nginx (deploy/nginx.conf) while a live runs — politely (SIGTERM: the
 * node drains and tells its subscribers to reconnect) and brutally (SIGKILL: sockets just die). Either way the
 * subscribers of the lost node resume on the other one from their last tracked event id, and every subscriber
 * ends with every accepted message exactly once: no gap, no duplicate.
 */
const SUBSCRIBERS = 20;

async function metric(node: ChatNode, name: string): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

describe('fault: one of two nodes goes away under load', () => {
  beforeAll(() => {
    requireFacility(canRunPrivatePostgres(), PRIVATE_POSTGRES_NEEDS);
    requireFacility(findNginx(), NGINX_NEEDS);
  });
  let postgres: PrivatePostgres;
  let nodes: ChatNode[];
  let nginx: RunningNginx;
  let clients: Client[];

  beforeEach(async () => {
    postgres = await startPrivatePostgres();
    const databaseUrl = await postgres.createDatabase('fault_nodes');
    const env = { CHAT_RATE_PRIVILEGED: '100000', SHUTDOWN_TIMEOUT_MS: '8000' };
    nodes = await Promise.all(
      ['node-a', 'node-b'].map((nodeId) => startChatNode({ databaseUrl, nodeId, env })),
    );
    nginx = await startNginx(nodes.map((node) => node.port));
    clients = [];
  }, 60_000);
  afterEach(async () => {
    for (const client of clients) client.close();
    await nginx?.stop();
    await Promise.allSettled(nodes.map((node) => node.stop()));
    await postgres?.destroy();
  });

  /** 20 subscribers and a steady sender, all through nginx; returns once both nodes carry subscribers. */
  async function liveUnderLoad() {
    const { host, postId } = await startLive(nginx.url);
    clients.push(host);
    const { cursor } = await host.client.chat.pull.query({ postId, cursor: 0 });
    const subscribers: Subscriber[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const viewer = await signUp(nginx.url, `Viewer${i}`);
      clients.push(viewer);
      subscribers.push(subscribe(viewer, postId, cursor));
    }
    const sender = steadySender(host, postId, { intervalMs: 50 });
    await waitFor(() => sender.accepted.length >= 20, 'messages before the fault');
    const [onA, onB] = [
      await metric(nodes[0]!, 'chat_open_subscriptions'),
      await metric(nodes[1]!, 'chat_open_subscriptions'),
    ];
    expect(onA + onB).toBe(SUBSCRIBERS);
    expect(Math.min(onA, onB)).toBeGreaterThan(0); // least_conn spread them: the lost node had some
    return { host, postId, cursor, subscribers, sender, onA };
  }

  async function expectEveryMessageExactlyOnce(
    subscribers: Subscriber[],
    sender: ReturnType<typeof steadySender>,
  ) {
    const acceptedIds = sender.accepted.map((record) => record.id);
    expect(sender.refused).toEqual([]);
    expect(new Set(acceptedIds).size).toBe(acceptedIds.length);
    await waitFor(
      () => subscribers.every((s) => new Set(s.ids).size >= acceptedIds.length),
      'every subscriber to catch up',
      30_000,
    ).catch((error: Error) => {
      const state = subscribers.map(
        (s) => `${new Set(s.ids).size}/${acceptedIds.length} r${s.client.reconnects()} e${s.errors.length}`,
      );
      const logs = nodes.map((n) =>
        n.output
          .join('')
          .split('\n')
          .filter((l) => !l.includes('"request"'))
          .join('\n'),
      );
      throw new Error(
        `${error.message}\nsubscribers: ${state.join(', ')}\n${logs.join('\n---\n').slice(-4000)}`,
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const subscriber of subscribers) {
      expect(exactlyOnce(subscriber, acceptedIds)).toEqual({ missing: [], duplicated: [], unexpected: [] });
    }
    return acceptedIds;
  }

  it('SIGTERM: the node drains, exits 0, and its subscribers resume on the other node with no gap', async () => {
    const { subscribers, sender, onA } = await liveUnderLoad();
    const [a, b] = nodes as [ChatNode, ChatNode];
    const started = Date.now();
    a.signal('SIGTERM');
    const exit = await a.exited;
    const drainMs = Date.now() - started;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(drainMs).toBeLessThan(8000);

    const acceptedAtExit = sender.accepted.length;
    await waitFor(() => sender.accepted.length >= acceptedAtExit + 20, 'messages after the drain');
    await sender.stop();
    await expectEveryMessageExactlyOnce(subscribers, sender);
    expect(await metric(b, 'chat_open_subscriptions')).toBe(SUBSCRIBERS);
    const moved = subscribers.filter((s) => s.client.reconnects() > 0).length;
    expect(moved).toBeGreaterThanOrEqual(onA);
  }, 120_000);

  it('SIGKILL: clients reconnect to the survivor and catch up by cursor', async () => {
    const { subscribers, sender, onA } = await liveUnderLoad();
    const [a, b] = nodes as [ChatNode, ChatNode];
    a.signal('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');

    const acceptedAtKill = sender.accepted.length;
    await waitFor(() => sender.accepted.length >= acceptedAtKill + 20, 'messages after the kill', 30_000);
    await sender.stop();
    await expectEveryMessageExactlyOnce(subscribers, sender);
    expect(await metric(b, 'chat_open_subscriptions')).toBe(SUBSCRIBERS);
    expect(subscribers.filter((s) => s.client.reconnects() > 0).length).toBeGreaterThanOrEqual(onA);
  }, 120_000);
});
