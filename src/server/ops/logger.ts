import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs: one JSON object per line on stdout (pino), each carrying the node's name, so that the lines of
 * several nodes behind one load balancer can be merged and filtered. Every HTTP request gets a request id —
 * the one nginx (or any proxy) sent in `x-request-id` when it looks sane, else a fresh UUID — which is echoed in
 * the response header and attached to every line logged about that request.
 */
export type ServerLogger = Logger;

export type LoggerOptions = {
  level?: string;
  nodeId?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
};

export function createServerLogger(options: LoggerOptions = {}): ServerLogger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { node: options.nodeId ?? `pid-${process.pid}` },
      // Never log credentials even if a request's headers end up in a log line.
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token'] },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A logger that writes nothing (embedded mode, tests that do not read logs). */
export function silentLogger(): ServerLogger {
  return pino({ level: 'silent' });
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the proxy's `x-request-id` when well-formed (so one id follows a request end to end). */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  return value && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** Where a request keeps its id and, once someone asks for it, its child logger. */
const REQUEST_LOG = Symbol('requestLog');
type RequestLog = { reqId: string; parent: ServerLogger; child?: ServerLogger };
type WithRequestLog = IncomingMessage & { [REQUEST_LOG]?: RequestLog };

/**
 * Remembers the request's id and logger, so route code can log with the id attached. The child logger is made
 * only when route code asks for one: most requests log nothing but their one request line, which
 * `instrumentHandler` writes with the id as a field (the same JSON line), and a pino child per request was a
 * measurable share of a trivial query's time.
 */
export function bindRequestLogger(req: IncomingMessage, parent: ServerLogger, reqId: string) {
  (req as WithRequestLog)[REQUEST_LOG] = { reqId, parent };
}

/** The request's child logger (with `reqId`), or `fallback` outside an instrumented request. */
export function loggerFor(req: IncomingMessage, fallback: ServerLogger): ServerLogger {
  const bound = (req as WithRequestLog)[REQUEST_LOG];
  if (!bound) return fallback;
  bound.child ??= bound.parent.child({ reqId: bound.reqId });
  return bound.child;
}
