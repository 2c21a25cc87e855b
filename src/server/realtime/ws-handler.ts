import type { IncomingMessage } from 'node:http';
import { TRPCError } from '@trpc/server';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { tokenFromAuthorization } from '../auth/tokens';
import { type ChatContext, type ChatServices, createChatContext } from '../routers/context';
import type { AppRouter } from '../routers/root';
import { CHAT_EVENTS_PATH, DirectSubscription } from './direct-subscription';
import { TrpcSocketView } from './socket-view';

const OPEN = 1;
const requestId = z.union([z.number(), z.string()]);
/** A chat.events subscription request, as tRPC's parseTRPCMessage would accept it. */
const chatEventsRequest = z.object({
  id: requestId,
  jsonrpc: z.literal('2.0').optional(),
  method: z.literal('subscription'),
  params: z.object({
    path: z.literal(CHAT_EVENTS_PATH),
    input: z.unknown(),
    lastEventId: z.string().optional(),
  }),
});
const stopRequest = z.object({ id: requestId, method: z.literal('subscription.stop') });

export type TrpcWebSocketOptions = {
  wss: WebSocketServer;
  router: AppRouter;
  services: ChatServices;
  keepAlive: { enabled: boolean; pingMs: number; pongWaitMs: number };
};

/**
 * tRPC over the WebSocket server, as `applyWSSHandler` would attach it, except that `chat.events`
 * subscriptions are served by direct-subscription.ts: one shared frame per event, written as the hub reads it,
 * instead of tRPC's iteration per subscriber and event (profiled at 1,000 subscribers: a fifth of the server's
 * time plus as much again in GC, on top of the socket writes, enough to leave it seconds behind).
 * Every other message, and everything about the connection (connectionParams, keep-alive, queries, other
 * subscriptions), goes to tRPC's own connection handler. Clients see tRPC's protocol unchanged.
 */
export function attachTrpcWebSocket({ wss, router, services, keepAlive }: TrpcWebSocketOptions) {
  const probe = {};
  if (router._def._config.transformer.output.serialize(probe) !== probe)
    throw new Error(
      'chat.events frames are plain JSON: a data transformer needs event-frames.ts to apply it',
    );
  // One context per connection, made by tRPC (with the connectionParams it parsed) and shared with the direct
  // subscriptions: the same token rules, one authentication.
  const contexts = new WeakMap<object, Promise<ChatContext>>();
  const trpcConnection = getWSConnectionHandler({
    wss,
    router,
    keepAlive,
    createContext: ({ req, res, info }) => {
      const param = info.connectionParams?.token;
      const token = typeof param === 'string' ? param : tokenFromAuthorization(req.headers.authorization);
      const context = createChatContext(services, token);
      contexts.set(res, context);
      return context;
    },
  });

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const view = new TrpcSocketView(socket);
    const direct = new Map<number | string, DirectSubscription>();
    trpcConnection(view.asWebSocket(), req);

    /** Serves the chat.events requests and stops in a message; returns what is left for tRPC (or null). */
    const take = (data: RawData, isBinary: boolean): RawData | null => {
      // With `?connectionParams=1`, tRPC takes the first message as the parameters (it makes the context).
      if (isBinary || !Buffer.isBuffer(data) || !contexts.has(view)) return data;
      const text = data.toString('utf8');
      if (!text.includes(CHAT_EVENTS_PATH) && !(direct.size > 0 && text.includes('subscription.stop')))
        return data;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return data;
      }
      const messages: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
      const rest = messages.filter((message) => !serve(message));
      if (rest.length === messages.length) return data;
      return rest.length > 0 ? Buffer.from(JSON.stringify(rest)) : null;
    };

    const serve = (message: unknown): boolean => {
      const stop = stopRequest.safeParse(message);
      if (stop.success) {
        const subscription = direct.get(stop.data.id);
        subscription?.stop();
        return subscription !== undefined;
      }
      const request = chatEventsRequest.safeParse(message);
      if (!request.success) return false;
      const { id, jsonrpc, params } = request.data;
      // tRPC's handler merges a reconnecting client's lastEventId into the input the same way.
      let input = params.input;
      if (params.lastEventId !== undefined)
        input =
          typeof input === 'object' && input !== null && !Array.isArray(input)
            ? { ...input, lastEventId: params.lastEventId }
            : (input ?? { lastEventId: params.lastEventId });
      const subscription = new DirectSubscription(socket, req.socket, router, { id, jsonrpc, input }, () => {
        if (direct.get(id) === subscription) direct.delete(id);
      });
      if (direct.has(id)) {
        subscription.reject(new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate id ${id}` }));
        return true;
      }
      direct.set(id, subscription);
      void subscription.start(contexts.get(view));
      return true;
    };

    socket.on('message', (data, isBinary) => {
      const rest = take(data, isBinary);
      if (rest !== null) view.pass(rest, isBinary);
    });
    socket.once('close', () => {
      for (const subscription of [...direct.values()]) subscription.stop();
    });
  });

  return {
    /** tRPC's "reconnect" notification to every open socket (graceful shutdown, draining a node). */
    broadcastReconnectNotification() {
      const data = JSON.stringify({ id: null, method: 'reconnect' });
      for (const client of wss.clients) if (client.readyState === OPEN) client.send(data);
    },
  };
}
