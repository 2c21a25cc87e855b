import { openServerDatabase } from './db/client';
import { migrateServerDatabase } from './db/migrate';
import { startChatServer } from './http';
import { loadServerConfigOrExit } from './ops/config';
import { describeDemo, seedDemo } from './seed-demo';

/** `npm run server [-- --seed-demo]`: the standalone chat server (design §5). */
const config = loadServerConfigOrExit();
const database = await openServerDatabase({
  url: config.databaseUrl,
  dataDir: config.dataDir,
  poolMax: config.dbPoolMax,
});
await migrateServerDatabase(database);
const running = await startChatServer({
  database,
  port: config.port,
  host: config.host,
  limits: config.limits,
});
console.info(`CommuniConnect chat server on ${running.url} (${database.kind})`);
if (process.argv.includes('--seed-demo'))
  console.info(describeDemo(await seedDemo(running.services.env), running.url));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await running.close();
    await database.close();
    process.exit(0);
  });
}
