import { join } from 'node:path';
import { openServerDatabase } from '../../server/db/client';
import { migrateServerDatabase } from '../../server/db/migrate';
import type { ChatLimits } from '../../server/domain/env';
import { startChatServer } from '../../server/http';

export type EmbeddedServer = { url: string; port: number; close(): Promise<void> };

export type EmbeddedServerOptions = {
  dataDir: string;
  /** 127.0.0.1 by default; '0.0.0.0' opens it to moderators on the LAN (a deliberate choice in Settings). */
  host?: string;
  port?: number;
  /** Rate limits (benchmarks raise them); the server's defaults otherwise. */
  limits?: Partial<ChatLimits>;
};

/**
 * The chat server inside the host process, on PGlite under `<dataDir>/server`: the same code as the standalone
 * server, so a studio without any server still has a real chat, and can later switch to a remote one.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const database = await openServerDatabase({ dataDir: join(options.dataDir, 'server') });
  try {
    await migrateServerDatabase(database);
    const listenHost = options.host ?? '127.0.0.1';
    const running = await startChatServer({
      database,
      host: listenHost,
      port: options.port ?? 0,
      recordingsDir: join(options.dataDir, 'server', 'recordings'),
      ...(options.limits ? { limits: options.limits } : {}),
    });
    // The host itself always talks to it over loopback, whatever interface it listens on.
    const url = `http://127.0.0.1:${running.port}`;
    return {
      url,
      port: running.port,
      close: async () => {
        await running.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
