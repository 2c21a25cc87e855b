import { openServerDatabase } from './db/client';
import { migrateServerDatabase } from './db/migrate';
import { startChatServer } from './http';

/** `npm run server`: the standalone chat server (design §5). */
const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';
const database = await openServerDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR });
await migrateServerDatabase(database);
const running = await startChatServer({ database, port, host });
console.info(`CommuniConnect chat server on ${running.url} (${database.kind})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await running.close();
    await database.close();
    process.exit(0);
  });
}
