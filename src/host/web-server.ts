import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import type { Host } from './host';
import { serveRecording } from './recording/http-route';
import { hostRouter } from './routers';

export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export type WebHostOptions = { host: Host; port?: number; rendererDir?: string; token?: string };
export type RunningWebHost = { url: string; port: number; token: string; close(): Promise<void> };

function tokenMatches(expected: Buffer, given: string | null): boolean {
  if (!given) return false;
  const candidate = Buffer.from(given);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/**
 * Browser mode: serves the built renderer and the hostRouter over WebSocket, on 127.0.0.1 only. The socket
 * requires the per-launch token (in the printed URL), so another local user or a web page cannot drive the host.
 */
export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const rendererDir = resolve(options.rendererDir ?? RENDERER_DIR);
  const token = options.token ?? randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);

  const serveStatic = (req: IncomingMessage, res: ServerResponse) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const relative = normalize(pathname === '/' ? '/index.html' : pathname);
    const file = join(rendererDir, relative);
    // Only files under the renderer build are served: no `..` escapes, whatever the URL says.
    const inside = file.startsWith(rendererDir + sep);
    const target =
      inside && existsSync(file) && statSync(file).isFile() ? file : join(rendererDir, 'index.html');
    if (!existsSync(target)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The renderer is not built yet: run `npm run build` first.');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    createReadStream(target).pipe(res);
  };

  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (serveRecording(req, res, options.host.recordings, (given) => tokenMatches(expected, given))) return;
    serveStatic(req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/trpc' || !tokenMatches(expected, url.searchParams.get('token'))) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const trpcHandler = applyWSSHandler({
    wss,
    router: hostRouter,
    createContext: () => ({ host: options.host, transport: 'websocket' as const }),
  });

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      trpcHandler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
