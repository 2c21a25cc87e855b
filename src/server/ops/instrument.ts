import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { WebSocketServer } from 'ws';
import { bindRequestLogger, requestIdOf, type ServerLogger } from './logger';
import { routeLabel, type ServerMetrics } from './metrics';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Shared between the HTTP wrapper and graceful shutdown: true once SIGTERM arrived. */
export type Lifecycle = { draining: boolean };

export type InstrumentOptions = {
  logger: ServerLogger;
  metrics: ServerMetrics;
  lifecycle: Lifecycle;
  /** An extra readiness condition (e.g. migrations applied): null when ready, else why not. */
  readiness?: () => Promise<string | null>;
};

// Probes and scrapes arrive every few seconds from every balancer: log them only at debug level.
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);

/**
 * Wraps the server's request handler with what every request needs in production: a request id (echoed in
 * `x-request-id`, available to route code through `loggerFor`), one log line and two metrics per response, GET /metrics, and while
 * draining: /ready answers 503 (so the balancer stops sending) and responses carry `Connection: close`.
 */
export function instrumentHandler(handler: RequestHandler, options: InstrumentOptions): RequestHandler {
  const { logger, metrics, lifecycle } = options;
  return (req, res) => {
    const reqId = requestIdOf(req);
    bindRequestLogger(req, logger, reqId);
    res.setHeader('x-request-id', reqId);
    if (lifecycle.draining) res.setHeader('connection', 'close');
    // 'close' follows 'finish' on every response, and also ends one whose client went away first. One shared
    // listener (no closure per request): what it needs rides on the response.
    (res as Tracked)[TRACKING] = { started: performance.now(), reqId, req, logger, metrics };
    res.on('close', recordResponse);

    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' && req.method === 'GET') {
      metrics
        .render()
        .then(({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType });
          res.end(body);
        })
        .catch((error: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(error.message);
        });
      return;
    }
    if (path === '/ready' && lifecycle.draining) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'draining' }));
      return;
    }
    if (path === '/ready' && options.readiness) {
      options
        .readiness()
        .catch((error: Error) => error.message)
        .then((problem) => {
          if (problem === null) return handler(req, res);
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'unavailable', detail: problem }));
        });
      return;
    }
    handler(req, res);
  };
}

const TRACKING = Symbol('tracking');
type Tracking = {
  started: number;
  reqId: string;
  req: IncomingMessage;
  logger: ServerLogger;
  metrics: ServerMetrics;
};
type Tracked = ServerResponse & { [TRACKING]?: Tracking };

/** One log line and two metrics per response, once it is sent (or its client gone). */
function recordResponse(this: ServerResponse) {
  const tracking = (this as Tracked)[TRACKING];
  if (!tracking) return;
  const { started, reqId, req, logger, metrics } = tracking;
  const seconds = (performance.now() - started) / 1000;
  const method = req.method ?? 'GET';
  const route = routeLabel(req.url);
  const status = this.writableFinished ? String(this.statusCode) : 'aborted';
  metrics.httpRequests.inc({ method, route, status });
  metrics.httpDuration.observe({ method, route }, seconds);
  const level = QUIET_ROUTES.has(route) ? 'debug' : this.statusCode >= 500 ? 'error' : 'info';
  // Built only when it will be written; reqId as a field gives the line a child logger would have written.
  if (logger.isLevelEnabled(level))
    logger[level](
      { reqId, method: req.method, url: req.url, route, status, ms: Math.round(seconds * 1000) },
      'request',
    );
}

/**
 * The one-line wiring for an existing `http.Server`: its request listeners are wrapped by `instrumentHandler`
 * (so the server's own code stays unaware of logging and metrics).
 */
export function attachOps(server: Server, options: InstrumentOptions) {
  const listeners = server.listeners('request') as RequestHandler[];
  server.removeAllListeners('request');
  const original: RequestHandler = (req, res) => {
    for (const listener of listeners) listener(req, res);
  };
  server.on('request', instrumentHandler(original, options));
}

/** Counts open WebSocket connections in `chat_websocket_connections`. */
export function trackWebSockets(wss: WebSocketServer, metrics: ServerMetrics) {
  wss.on('connection', (socket) => {
    metrics.webSocketConnections.inc();
    socket.once('close', () => metrics.webSocketConnections.dec());
  });
}
