import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { WebSocketServer } from 'ws';
import { MAX_BODY_BYTES } from '../shared/limits';
import { CURRENT_SERVER_PROTOCOL, type ServerProtocol } from '../shared/protocol';
import { tokenFromAuthorization } from './auth/tokens';
import type { ServerDatabase } from './db/client';
import { type ChatLimits, createDomainEnv } from './domain/env';
import type { RecordingLimits } from './domain/recordings';
import type { FanoutAdapter } from './realtime/fanout';
import { createRecordingMedia } from './recordings/media';
import { createTusUploads } from './recordings/tus-uploads';
import { TUS_UPLOADS_PATH } from '../shared/recording-upload';
import { ChatHub } from './realtime/hub';
import { openFanout } from './realtime/open-fanout';
import { followRevocations } from './auth/revocation-listener';
import { sessionCacheOf } from './auth/session-cache';
import { attachTrpcWebSocket } from './realtime/ws-handler';
import { createRestHandler } from './rest/handler';
import { sendJson } from './rest/respond';
import { type ChatServices, createChatContext } from './routers/context';
import { createLeanTrpcHandler } from './routers/http-adapter';
import { appRouter } from './routers/root';

export type ChatServerOptions = {
  /** A migrated database (openServerDatabase + migrateServerDatabase). The caller keeps ownership. */
  database: ServerDatabase;
  /** 0 or absent: any free port. */
  port?: number;
  host?: string;
  /** Rate limits and session lifetime; defaults from src/shared/limits.ts. */
  limits?: Partial<ChatLimits>;
  /** A fan-out to share; absent: one is opened for the database (and closed with the server). */
  fanout?: FanoutAdapter;
  /** Where uploaded recordings are kept: `DATA_DIR/recordings` for `npm run server` and the embedded server. */
  recordingsDir?: string;
  /** Signs recording links (SERVER_SECRET): nodes behind one address must share it. */
  serverSecret?: string | undefined;
  recordingLimits?: Partial<RecordingLimits>;
  /**
   * What the server announces and serves (`protocol`); absent: this build's. Tests start a server that speaks
   * an older or newer protocol, or lacks a capability, to check that a studio copes with it.
   */
  protocol?: ServerProtocol;
};

export type RunningChatServer = {
  url: string;
  port: number;
  server: Server;
  /** The domain environment and hub, for tests and tools that act on the server's data directly. */
  services: ChatServices;
  /** For ops (src/server/ops): the WebSocket server, the fan-out, and tRPC's "reconnect elsewhere" broadcast. */
  wss: WebSocketServer;
  fanout: FanoutAdapter;
  broadcastReconnect: () => void;
  close(): Promise<void>;
};

/**
 * The chat server on one port: tRPC over HTTP (`/trpc`, batched queries and mutations) and over WebSocket
 * (same path, subscriptions), the seed-compatible REST API (`/api/...`), and `/health` + `/ready`.
 */
export async function startChatServer(options: ChatServerOptions): Promise<RunningChatServer> {
  const { database } = options;
  const fanout = options.fanout ?? (await openFanout(database));
  const env = createDomainEnv(database, fanout, options.limits);
  env.media = createRecordingMedia({
    dir: options.recordingsDir ?? join('.data', 'server', 'recordings'),
    secret: options.serverSecret,
    limits: options.recordingLimits,
  });
  const hub = new ChatHub(env, fanout);
  const stopRevocations = followRevocations(fanout, sessionCacheOf(database.db));
  const services: ChatServices = { env, hub, protocol: options.protocol ?? CURRENT_SERVER_PROTOCOL };

  const contextOf = (req: IncomingMessage) =>
    createChatContext(services, tokenFromAuthorization(req.headers.authorization));
  // Queries and mutations skip tRPC's Fetch conversion (routers/http-adapter.ts); the rest goes to tRPC's own.
  const trpc = createLeanTrpcHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: MAX_BODY_BYTES,
    createContext: contextOf,
    fallback: createHTTPHandler({
      router: appRouter,
      basePath: '/trpc/',
      maxBodySize: MAX_BODY_BYTES,
      createContext: ({ req }) => contextOf(req),
    }),
  });
  const rest = createRestHandler(env);
  const uploads = createTusUploads(env, env.media);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') {
      try {
        await database.query('select 1');
        return sendJson(res, 200, { status: 'ready', database: database.kind });
      } catch (error) {
        return sendJson(res, 503, { status: 'unavailable', detail: (error as Error).message });
      }
    }
    if (path.startsWith('/trpc/')) return trpc(req, res);
    if (path === TUS_UPLOADS_PATH || path.startsWith(`${TUS_UPLOADS_PATH}/`)) return uploads.handle(req, res);
    if (path.startsWith('/api/')) return rest(req, res);
    return sendJson(res, 404, { detail: 'Not found.' });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { detail: 'Internal server error.' });
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  // chat.events is served by realtime/ws-handler.ts directly (one frame per event); the rest by tRPC's handler.
  const wsHandler = attachTrpcWebSocket({
    wss,
    router: appRouter,
    services,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
  });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== '/trpc') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    server,
    services,
    wss,
    fanout,
    broadcastReconnect: () => wsHandler.broadcastReconnectNotification(),
    close: async () => {
      wsHandler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      wss.close();
      hub.close();
      stopRevocations();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (!options.fanout) await fanout.close();
    },
  };
}
