import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerDatabase } from './db/client';

export type ChatServerOptions = { database: ServerDatabase; port?: number; host?: string };

export type RunningChatServer = { url: string; port: number; server: Server; close(): Promise<void> };

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Starts the chat server's HTTP listener: health and readiness now, the API routers as they land. */
export async function startChatServer(options: ChatServerOptions): Promise<RunningChatServer> {
  const { database } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') {
      try {
        await database.query('select 1');
        return sendJson(res, 200, { status: 'ready', database: database.kind });
      } catch (error) {
        return sendJson(res, 503, { status: 'unavailable', detail: (error as Error).message });
      }
    }
    return sendJson(res, 404, { detail: 'Not found.' });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => sendJson(res, 500, { detail: (error as Error).message }));
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
