import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openServerDatabase } from '../db/client';
import { canRunPrivatePostgres, startPrivatePostgres } from '../testing/private-postgres';
import { migrateWithLock } from './migration-lock';
import { WebSocket, WebSocketServer } from 'ws';
import type { ChangeNotice, FanoutAdapter } from '../realtime/fanout';
import { attachServerOps, createServerOps } from './attach';
import { silentLogger } from './logger';
import { PRIVATE_POSTGRES_NEEDS, requireFacility } from '../testing/requirements';

/** An in-process fan-out (what PGlite's is): publish reaches every subscriber, resync on demand. */
function localFanout() {
  const listeners = new Set<(notice: ChangeNotice) => void>();
  const resyncs = new Set<() => void>();
  const fanout: FanoutAdapter = {
    publish: async (_executor, notice) => {
      setTimeout(() => {
        for (const listener of listeners) listener(notice);
      }, 5);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onRevoked: () => () => {},
    onResync: (listener) => {
      resyncs.add(listener);
      return () => resyncs.delete(listener);
    },
    close: async () => {},
  };
  const resync = () => {
    for (const listener of resyncs) listener();
  };
  return { fanout, resync, listeners };
}

describe('attachServerOps on a real HTTP + WebSocket server', () => {
  it('serves metrics fed by the pool, the hub, the fan-out probe and resyncs; drains with a reconnect', async () => {
    const server = createServer((_req, res) => res.end('{}'));
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws)),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { fanout, resync, listeners } = localFanout();
    const pool = Object.assign(new EventEmitter(), {
      totalCount: 3,
      idleCount: 2,
      waitingCount: 0,
    });
    const ops = createServerOps({ logger: silentLogger(), processMetrics: false, notifyProbeMs: 20 });
    let reconnectsBroadcast = 0;
    const attached = attachServerOps(ops, {
      server,
      wss,
      broadcastReconnect: () => {
        reconnectsBroadcast++;
        for (const client of wss.clients) client.send('{"method":"reconnect"}');
      },
      subscriberCount: () => 7,
      pool,
      fanout,
      executor: {} as never,
    });

    const socket = new WebSocket(base.replace('http', 'ws'));
    await new Promise((resolve) => socket.once('open', resolve));
    const notices: string[] = [];
    socket.on('message', (data) => notices.push(String(data)));
    pool.emit('error', new Error('terminating connection due to administrator command'));
    resync();
    await new Promise((resolve) => setTimeout(resolve, 120)); // a few probes go round

    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('chat_open_subscriptions 7');
    expect(text).toContain('chat_websocket_connections 1');
    expect(text).toContain('db_pool_connections{state="total"} 3');
    expect(text).toContain('db_pool_errors_total 1');
    expect(text).toContain('chat_listen_reconnects_total 1');
    const probes = Number(/chat_notify_lag_seconds_count (\d+)/.exec(text)?.[1]);
    expect(probes).toBeGreaterThanOrEqual(2);

    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    await attached.drain(100);
    expect(reconnectsBroadcast).toBe(1);
    expect(notices).toEqual(['{"method":"reconnect"}']);
    expect(await closed).toBe(1012);
    expect(server.listening).toBe(false);
    expect(ops.lifecycle.draining).toBe(true);
    // The probe stopped and its fan-out listeners were removed.
    expect([...listeners].length).toBe(0);
  });
});

describe('/ready and migrations (real Postgres, private cluster)', () => {
  it('is 503 until every migration of this build is applied, then 200', async () => {
    requireFacility(canRunPrivatePostgres(), PRIVATE_POSTGRES_NEEDS);
    const postgres = await startPrivatePostgres();
    const database = await openServerDatabase({ url: await postgres.createDatabase('ready_check') });
    const server = createServer((_req, res) => res.end('{"status":"ready"}'));
    const wss = new WebSocketServer({ noServer: true });
    try {
      const ops = createServerOps({ logger: silentLogger(), processMetrics: false, notifyProbeMs: 0 });
      attachServerOps(ops, { server, wss, broadcastReconnect: () => {}, executor: database.db });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const before = await fetch(`${base}/ready`);
      expect(before.status).toBe(503);
      expect(((await before.json()) as { detail: string }).detail).toMatch(
        /relation .* does not exist|pending/,
      );
      await migrateWithLock(database);
      expect((await fetch(`${base}/ready`)).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await database.close();
      await postgres.destroy();
    }
  });
});
