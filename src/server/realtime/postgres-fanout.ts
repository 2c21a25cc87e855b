import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Executor } from '../db/sql';
import { createAnnouncer } from './announcer';
import { FANOUT_CHANNELS, type FanoutAdapter, FanoutListeners, publishNotice } from './fanout';

const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * Fan-out across processes through Postgres LISTEN/NOTIFY. LISTEN needs one connection of its own for as long as
 * the process lives (a pooled client would lose it), so this holds a dedicated client and LISTENs again after a
 * reconnect — then tells the hub to re-read, since notices sent while disconnected are gone.
 */
export async function createPostgresFanout(url: string, executor: Executor): Promise<FanoutAdapter> {
  const listeners = new FanoutListeners();
  const resyncListeners = new Set<() => void>();
  let client: pg.Client | null = null;
  let closed = false;

  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => listeners.deliver(message.channel, message.payload));
    next.on('error', (error) => {
      console.warn(`fan-out listener: ${error.message}`);
    });
    next.on('end', () => {
      if (closed || client !== next) return;
      client = null;
      void reconnect();
    });
    await next.connect();
    await next.query(FANOUT_CHANNELS.map((channel) => `listen ${channel}`).join('; '));
    client = next;
  };

  const reconnect = async () => {
    for (let attempt = 0; !closed; attempt++) {
      await sleep(RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)]);
      if (closed) return;
      try {
        await connect();
        for (const listener of resyncListeners) listener();
        return;
      } catch (error) {
        console.warn(`fan-out listener reconnect failed: ${(error as Error).message}`);
      }
    }
  };

  await connect();
  return {
    publish: publishNotice,
    announce: createAnnouncer(executor),
    subscribe: listeners.subscribe,
    onRevoked: listeners.onRevoked,
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    async close() {
      closed = true;
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
