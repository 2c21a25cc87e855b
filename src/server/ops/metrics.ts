import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics, one registry per server instance (several servers may share a test process,
 * and the embedded server must not pollute a global registry). Served on GET /metrics by `instrumentHandler`.
 */
export type PoolLike = { totalCount: number; idleCount: number; waitingCount: number };

export type ServerMetrics = ReturnType<typeof createServerMetrics>;

export type MetricsOptions = {
  /** Node.js process metrics (CPU, memory, event-loop lag, GC). Off in unit tests to keep output small. */
  processMetrics?: boolean;
  /** Constant labels on every series, e.g. `{ node: 'node-a' }`. */
  defaultLabels?: Record<string, string>;
};

// Latencies from sub-millisecond cache hits to multi-second stalls during a Postgres restart.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createServerMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  let poolSource: PoolLike | undefined;
  let subscriptionSource: (() => number) | undefined;

  const metrics = {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route (ids replaced by :id) and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request arriving to its response finishing, by method and route.',
      labelNames: ['method', 'route'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    webSocketConnections: new Gauge({
      name: 'chat_websocket_connections',
      help: 'Open WebSocket connections (tRPC subscriptions transport).',
      registers,
    }),
    openSubscriptions: new Gauge({
      name: 'chat_open_subscriptions',
      help: 'Live chat subscriptions currently open on this node.',
      registers,
      collect() {
        if (subscriptionSource) this.set(subscriptionSource());
      },
    }),
    messagesAccepted: new Counter({
      name: 'chat_messages_accepted_total',
      help: 'Chat messages accepted and stored (idempotent retries are not counted twice).',
      registers,
    }),
    messagesRejected: new Counter({
      name: 'chat_messages_rejected_total',
      help: 'Chat messages refused, by reason (the refusal code: banned, slow_mode, rate_limited, …).',
      labelNames: ['reason'] as const,
      registers,
    }),
    notifyLag: new Histogram({
      name: 'chat_notify_lag_seconds',
      help: 'Time from a change being committed to this node receiving its NOTIFY and reading it back.',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    listenReconnects: new Counter({
      name: 'chat_listen_reconnects_total',
      help: 'Times the LISTEN connection was re-established after losing Postgres.',
      registers,
    }),
    poolConnections: new Gauge({
      name: 'db_pool_connections',
      help: 'Postgres pool connections by state: total (open), idle, waiting (requests queued for one).',
      labelNames: ['state'] as const,
      registers,
      collect() {
        if (!poolSource) return;
        this.set({ state: 'total' }, poolSource.totalCount);
        this.set({ state: 'idle' }, poolSource.idleCount);
        this.set({ state: 'waiting' }, poolSource.waitingCount);
      },
    }),
    poolErrors: new Counter({
      name: 'db_pool_errors_total',
      help: 'Errors raised by idle pool clients (a Postgres restart or a dropped connection).',
      registers,
    }),
    shuttingDown: new Gauge({
      name: 'chat_shutting_down',
      help: '1 while this node drains after SIGTERM (it answers /ready with 503).',
      registers,
    }),
    /** Reports the pg Pool's counts on every scrape (no polling in between). */
    observePool(pool: PoolLike) {
      poolSource = pool;
    },
    /** Reports the number of open subscriptions on every scrape, from whoever holds them (the realtime hub). */
    observeSubscriptions(count: () => number) {
      subscriptionSource = count;
    },
    /** Records the outcome of one send: accepted, or refused with the refusal code as reason. */
    recordSend(outcome: { accepted: true } | { accepted: false; reason: string }) {
      if (outcome.accepted) metrics.messagesAccepted.inc();
      else metrics.messagesRejected.inc({ reason: outcome.reason });
    },
    /** Seconds between `committedAt` and now, as seen by this node. */
    recordNotifyLag(committedAt: Date | number) {
      const at = typeof committedAt === 'number' ? committedAt : committedAt.getTime();
      metrics.notifyLag.observe(Math.max(0, (Date.now() - at) / 1000));
    },
    async render(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
  return metrics;
}

const KNOWN_PREFIXES = ['/api/', '/trpc', '/health', '/ready', '/metrics'];
const ID_SEGMENT = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * A low-cardinality route label: numeric and UUID path segments become `:id`, a tRPC batch becomes its procedures
 * (or `(batch)` when there are many), anything outside our prefixes becomes `(unmatched)` so a scanner probing
 * random paths cannot blow up the series count.
 */
export function routeLabel(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  let label = routeLabels.get(path);
  if (label === undefined) {
    // Every request asks; the paths repeat (ids vary, but a busy live's path is the same each time).
    if (routeLabels.size >= 1000) routeLabels.clear();
    label = labelOf(path);
    routeLabels.set(path, label);
  }
  return label;
}

const routeLabels = new Map<string, string>();

function labelOf(path: string): string {
  if (!KNOWN_PREFIXES.some((prefix) => path === prefix || path.startsWith(prefix))) return '(unmatched)';
  if (path.startsWith('/trpc/')) {
    const procedures = [...new Set(path.slice('/trpc/'.length).split(','))].sort();
    if (procedures.length > 3 || procedures.some((p) => !/^[A-Za-z0-9_.]{1,80}$/.test(p)))
      return '/trpc/(batch)';
    return `/trpc/${procedures.join(',')}`;
  }
  return path
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment))
    .join('/');
}
