import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { SERVER_MIGRATIONS_DIR } from '../db/migrate';
import type { WebSocketServer } from 'ws';
import type { Executor } from '../db/sql';
import type { FanoutAdapter } from '../realtime/fanout';
import { attachOps, type Lifecycle, trackWebSockets } from './instrument';
import { createServerLogger, type ServerLogger } from './logger';
import { createServerMetrics, type PoolLike, type ServerMetrics } from './metrics';
import { drainWebSockets, stopHttpServer } from './shutdown';

/**
 * Everything production adds to a chat server, as one object created by main.ts and handed to
 * `startChatServer({ ops })`, which calls `attachServerOps` once its HTTP server, WebSocket server, hub and
 * fan-out exist. The server's own code stays unaware of logs, metrics and draining.
 */
export type ServerOps = {
  logger: ServerLogger;
  metrics: ServerMetrics;
  lifecycle: Lifecycle;
  /** How often each node sends a NOTIFY probe through the fan-out (0: never). */
  notifyProbeMs: number;
};

export function createServerOps(
  options: { logger?: ServerLogger; nodeId?: string; processMetrics?: boolean; notifyProbeMs?: number } = {},
): ServerOps {
  return {
    logger: options.logger ?? createServerLogger({ nodeId: options.nodeId }),
    metrics: createServerMetrics({ processMetrics: options.processMetrics ?? true }),
    lifecycle: { draining: false },
    notifyProbeMs: options.notifyProbeMs ?? 5000,
  };
}

export type OpsTargets = {
  server: Server;
  wss: WebSocketServer;
  /** tRPC's reconnect notification (applyWSSHandler(...).broadcastReconnectNotification). */
  broadcastReconnect: () => void;
  /** Open subscriptions right now (the hub's subscriberCount). */
  subscriberCount?: () => number;
  /** The pg Pool, for db_pool_connections and db_pool_errors_total. */
  pool?: (PoolLike & { on(event: 'error', listener: (error: Error) => void): unknown }) | undefined;
  fanout?: FanoutAdapter;
  /** Where the NOTIFY probe is published and readiness is checked (the database itself). */
  executor?: Executor;
  /** drizzle-kit's migrations folder, whose journal says how many migrations /ready requires. */
  migrationsFolder?: string;
};

export type AttachedOps = {
  /**
   * Graceful drain: /ready → 503, stop listening, tell WebSocket clients to reconnect (elsewhere, from their
   * last event id), close what is left after `graceMs`, and resolve when in-flight requests have finished.
   */
  drain(graceMs?: number): Promise<void>;
  /** Stops the probe timer (called by drain too). */
  detach(): void;
};

// A probe notice names live 0, which no hub watches: it measures the fan-out path and is otherwise ignored.
export const PROBE_POST_ID = 0;

export function attachServerOps(ops: ServerOps, targets: OpsTargets): AttachedOps {
  const { metrics, logger, lifecycle } = ops;
  const executor = targets.executor;
  const readiness = executor
    ? migrationsApplied(executor, targets.migrationsFolder ?? SERVER_MIGRATIONS_DIR)
    : undefined;
  attachOps(targets.server, { logger, metrics, lifecycle, ...(readiness && { readiness }) });
  trackWebSockets(targets.wss, metrics);
  if (targets.subscriberCount) metrics.observeSubscriptions(targets.subscriberCount);
  if (targets.pool) {
    metrics.observePool(targets.pool);
    targets.pool.on('error', (error) => {
      metrics.poolErrors.inc();
      logger.warn({ err: error.message }, 'postgres pool client error');
    });
  }
  const stops: (() => void)[] = [];
  if (targets.fanout) {
    const fanout = targets.fanout;
    stops.push(
      fanout.onResync(() => {
        metrics.listenReconnects.inc();
        logger.warn('fan-out listener reconnected: re-reading watched lives');
      }),
    );
    // NOTIFY lag: every node publishes its clock through the real fan-out path; every node (itself included)
    // observes now − then. Same machine or NTP-synced clocks: good to a millisecond or so.
    stops.push(
      fanout.subscribe((notice) => {
        if (notice.postId === PROBE_POST_ID) metrics.recordNotifyLag(notice.version);
      }),
    );
    if (targets.executor && ops.notifyProbeMs > 0) {
      const executor = targets.executor;
      const timer = setInterval(() => {
        fanout.publish(executor, { postId: PROBE_POST_ID, version: Date.now() }).catch((error: Error) => {
          logger.debug({ err: error.message }, 'notify probe failed');
        });
      }, ops.notifyProbeMs);
      timer.unref();
      stops.push(() => clearInterval(timer));
    }
  }
  const detach = () => {
    for (const stop of stops.splice(0)) stop();
  };
  return {
    detach,
    async drain(graceMs = 1000) {
      lifecycle.draining = true;
      metrics.shuttingDown.set(1);
      detach();
      await drainServer(targets, graceMs);
    },
  };
}

/**
 * /ready's second condition: the database has every migration this build ships (a node of a newer build that
 * shares the database with an older one must not take traffic before its migrations ran).
 */
function migrationsApplied(executor: Executor, migrationsFolder: string): () => Promise<string | null> {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  const expected = journal.entries.length;
  const firstValue = async (query: ReturnType<typeof sql>) =>
    ((await executor.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows[0];
  return async () => {
    // Before the first migration drizzle's table does not exist at all: that is "0 applied", not an error.
    const table = await firstValue(
      sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
    );
    const applied = table?.present
      ? Number((await firstValue(sql`select count(*)::int as n from drizzle.__drizzle_migrations`))?.n ?? 0)
      : 0;
    return applied >= expected ? null : `migrations pending: ${applied} of ${expected} applied`;
  };
}

/**
 * Stop listening, ask WebSocket clients to reconnect (they resubscribe from their last event id, elsewhere),
 * close those still open after `graceMs`, and resolve once in-flight HTTP requests have finished. Works
 * without ops too (the embedded server).
 */
export async function drainServer(
  targets: Pick<OpsTargets, 'server' | 'wss' | 'broadcastReconnect'>,
  graceMs = 1000,
): Promise<void> {
  const stopped = stopHttpServer(targets.server);
  await drainWebSockets(targets.wss, { notify: targets.broadcastReconnect, graceMs });
  await stopped;
}
