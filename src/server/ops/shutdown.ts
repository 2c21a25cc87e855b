import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';
import type { ServerLogger } from './logger';

/**
 * Graceful shutdown on SIGTERM, as an ordered list of named steps bounded by ONE deadline: a deploy or an
 * autoscaler must be able to count on the process being gone within `timeoutMs`, whatever hangs. The usual order
 * for the chat server: mark not-ready → stop accepting → tell WebSocket clients to reconnect (they resume on
 * another node from their cursor) → let in-flight requests finish → stop LISTEN → close the pool.
 */
export type ShutdownStep = { name: string; run: () => Promise<void> | void };

export type ShutdownOutcome = { clean: boolean; timedOut: boolean; failed: string[]; ms: number };

export type GracefulShutdownOptions = {
  steps: ShutdownStep[];
  timeoutMs: number;
  logger: ServerLogger;
  /** Runs after the steps (or the deadline): by default exits 0 when clean, 1 otherwise. */
  exit?: (code: number) => void;
};

export type GracefulShutdown = {
  /** Runs the steps once; later calls return the same promise. */
  shutdown(reason: string): Promise<ShutdownOutcome>;
  /** Installs signal handlers; a second signal while draining exits at once. Returns an uninstaller. */
  install(signals?: NodeJS.Signals[]): () => void;
};

export function createGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const { logger, timeoutMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<ShutdownOutcome> | undefined;

  const runSteps = async (failed: string[]) => {
    for (const step of options.steps) {
      const started = Date.now();
      try {
        await step.run();
        logger.info({ step: step.name, ms: Date.now() - started }, 'shutdown step done');
      } catch (error) {
        failed.push(step.name);
        logger.error({ step: step.name, err: error }, 'shutdown step failed');
      }
    }
  };

  const shutdown = (reason: string) => {
    running ??= (async () => {
      const started = Date.now();
      logger.info({ reason, timeoutMs }, 'shutting down');
      const failed: string[] = [];
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([runSteps(failed).then(() => 'done' as const), deadline]);
      clearTimeout(timer);
      const outcome: ShutdownOutcome = {
        clean: result === 'done' && failed.length === 0,
        timedOut: result === 'timeout',
        failed,
        ms: Date.now() - started,
      };
      if (outcome.timedOut) logger.warn({ ms: outcome.ms }, 'shutdown deadline reached, exiting anyway');
      else logger.info({ ms: outcome.ms, failed }, 'shutdown finished');
      logger.flush();
      exit(outcome.clean ? 0 : 1);
      return outcome;
    })();
    return running;
  };

  return {
    shutdown,
    install(signals = ['SIGTERM', 'SIGINT']) {
      const handler = (signal: NodeJS.Signals) => {
        if (running) {
          logger.warn({ signal }, 'second signal while draining: exiting now');
          logger.flush();
          exit(1);
          return;
        }
        void shutdown(signal);
      };
      for (const signal of signals) process.on(signal, handler);
      return () => {
        for (const signal of signals) process.off(signal, handler);
      };
    },
  };
}

/**
 * Stops accepting connections and resolves once every HTTP connection has ended. Idle keep-alive sockets are
 * closed now; busy ones finish their request (the instrumented handler answers with `Connection: close` while
 * draining, so they end right after). Upgraded WebSocket sockets are ended by `drainWebSockets`.
 */
export function stopHttpServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    // close() drops the sockets idle NOW; a keep-alive socket whose request finishes later would otherwise linger
    // until keepAliveTimeout, so sweep the idle ones until the server is closed.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close((error) => {
      clearInterval(sweep);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Tells every WebSocket client to reconnect (tRPC's reconnect notification: the client reconnects at once and
 * resubscribes with the last tracked event id — on another node behind the balancer), then closes whatever is
 * still open after `graceMs` with 1012 "service restart".
 */
export async function drainWebSockets(
  wss: WebSocketServer,
  options: { notify?: () => void; graceMs?: number } = {},
): Promise<void> {
  options.notify?.();
  const graceMs = options.graceMs ?? 1000;
  const until = Date.now() + graceMs;
  while (wss.clients.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  for (const client of wss.clients) client.close(1012, 'server restarting: reconnect');
  // A client that does not answer the close handshake is cut off, so the HTTP server can finish closing.
  const hardUntil = Date.now() + 500;
  while (wss.clients.size > 0 && Date.now() < hardUntil) await new Promise((r) => setTimeout(r, 25));
  for (const client of wss.clients) client.terminate();
}
