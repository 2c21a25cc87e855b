import { join } from 'node:path';
import { createHost } from './host';
import { startWebHost } from './web-server';

/** `npm run host`: the desktop core plus the renderer, for a browser on this machine (design §5). */
const dataDir = process.env.STUDIO_DATA_DIR ?? '.data/studio';
const host = await createHost({
  dataDir,
  recordingsDir: process.env.STUDIO_RECORDINGS_DIR ?? join(dataDir, 'recordings'),
  serverUrl: process.env.STUDIO_SERVER_URL,
  // The embedded chat server stays on loopback unless the user opens it to moderators on the LAN.
  embeddedServer: process.env.STUDIO_EMBEDDED_LAN === '1' ? { host: '0.0.0.0' } : undefined,
});
const web = await startWebHost({ host, port: Number(process.env.STUDIO_PORT ?? 5199) });
// Tests read this exact line to find the URL; keep its shape.
console.info(`CommuniConnect Studio is ready: open ${web.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await web.close();
    await host.close();
    process.exit(0);
  });
}
