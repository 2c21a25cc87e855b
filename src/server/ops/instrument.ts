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
 * `x-request-id`, bound to a child logger), one log line and two metrics per response, GET /metrics, and while
 * draining: /ready answers 503 (so the balancer stops sending) and responses carry `Connection: close`.
 */
export function instrumentHandler(handler: RequestHandler, options: InstrumentOptions): RequestHandler {
  const { logger, metrics, lifecycle } = options;
  return (req, res) => {
    const started = process.hrtime.bigint();
    const reqId = requestIdOf(req);
    const route = routeLabel(req.url);
    const log = logger.child({ reqId });
    bindRequestLogger(req, log);
    res.setHeader('x-request-id', reqId);
    if (lifecycle.draining) res.setHeader('connection', 'close');

    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      metrics.httpRequests.inc({ method: req.method ?? 'GET', route, status });
      metrics.httpDuration.observe({ method: req.method ?? 'GET', route }, seconds);
      const line = { method: req.method, url: req.url, route, status, ms: Math.round(seconds * 1000) };
      if (QUIET_ROUTES.has(route)) log.debug(line, 'request');
      else if (res.statusCode >= 500) log.error(line, 'request');
      else log.info(line, 'request');
    };
    res.once('finish', record);
    res.once('close', record);

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
