import { join } from 'node:path';
import { openServerDatabase } from './db/client';
import { startChatServer } from './http';
import { attachServerOps, createServerOps } from './ops/attach';
import { loadServerConfigOrExit } from './ops/config';
import { createServerLogger } from './ops/logger';
import { migrateWithLock } from './ops/migration-lock';
import { createGracefulShutdown } from './ops/shutdown';
import { describeDemo, seedDemo } from './seed-demo';

/** `npm run server [-- --seed-demo]`: the standalone chat server (design §5); settings in src/server/ops/config.ts. */
const config = loadServerConfigOrExit();
const logger = createServerLogger({ level: config.logLevel, nodeId: config.nodeId });
const ops = createServerOps({ logger, notifyProbeMs: config.notifyProbeMs });

async function start() {
  const database = await openServerDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.dbPoolMax,
  });
  // Several nodes may start at once: the advisory lock lets one migrate while the others wait.
  await migrateWithLock(database);
  const running = await startChatServer({
    database,
    port: config.port,
    host: config.host,
    limits: config.limits,
    recordingsDir: join(config.dataDir, 'recordings'),
    serverSecret: config.serverSecret,
  });
  // Logs with request ids, /metrics, the NOTIFY probe, and the graceful drain (src/server/ops/attach.ts).
  const attached = attachServerOps(ops, {
    server: running.server,
    wss: running.wss,
    broadcastReconnect: running.broadcastReconnect,
    subscriberCount: () => running.services.hub.subscriberCount,
    pool: database.driver.kind === 'postgres' ? database.driver.pool : undefined,
    fanout: running.fanout,
    executor: database.db,
  });
  running.services.env.observer = { sendOutcome: (outcome) => ops.metrics.recordSend(outcome) };
  createGracefulShutdown({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    steps: [
      { name: 'drain connections', run: () => attached.drain() },
      { name: 'close server', run: () => running.close() },
      { name: 'close database', run: () => database.close() },
    ],
  }).install();
  logger.info({ url: running.url, database: database.kind }, 'chat server listening');
  console.info(`CommuniConnect chat server on ${running.url} (${database.kind})`);
  if (process.argv.includes('--seed-demo'))
    console.info(describeDemo(await seedDemo(running.services.env), running.url));
}

start().catch((error: Error) => {
  // Unreachable database, port in use…: one line for the operator, the details in the JSON log.
  logger.fatal({ err: error }, 'chat server failed to start');
  logger.flush();
  process.stderr.write(`chat server: cannot start: ${error.message}\n`);
  process.exit(1);
});
