import type { Duplex } from 'node:stream';
import {
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import type { WebSocket } from 'ws';
import type { Reader } from '../domain/mappers';
import type { ChatContext } from '../routers/context';
import { ChatEventSubscription } from './chat-subscription';
import { frameHead, ownFrame, sharedFrame } from './event-frames';
import { backlogBatch, eventReader, formFor } from './event-stream';
import type { HubEvent, HubListener } from './hub';

export const CHAT_EVENTS_PATH = 'chat.events';
const OPEN = 1;
const TEXT = { binary: false } as const;
/** Events held while the backlog is read, as EventQueue holds them for the generator. */
const PENDING_MAX = 10_000;
/** Bytes the socket may have queued (about 10,000 events, EventQueue's bound) before it counts as too slow. */
const BUFFERED_MAX = 4 * 1024 * 1024;
const TOO_SLOW = 'Subscriber too slow: reconnect to resume from the last event.';

export type SubscriptionRequest = {
  id: number | string;
  jsonrpc: '2.0' | undefined;
  /** The input as tRPC's handler would pass it (lastEventId merged in). */
  input: unknown;
};

/**
 * One `chat.events` subscription on one socket, served without tRPC's per-event machinery (an async generator
 * step, a race against the abort signal, a response object and its JSON per subscriber per event), with the
 * same messages on the wire as tRPC's WebSocket handler sends:
 *   - the call itself goes through tRPC (`callTRPCProcedure`): authentication, input validation and their errors
 *     are the procedure's, then `started`;
 *   - then the procedure's own steps (event-stream.ts): access check, hub listener first, backlog after
 *     `lastEventId`, queued events after it; afterwards every hub event is written as it comes, one shared
 *     pre-serialised frame (event-frames.ts) per event;
 *   - an error after `started` is sent as tRPC sends a failing iterator's, followed by `stopped`; a
 *     `subscription.stop` or the hub closing ends it with `stopped`.
 */
export class DirectSubscription implements HubListener {
  private readonly head: string;
  private readonly abort = new AbortController();
  private reader: Reader | null = null;
  /** Hub events that arrive while the backlog is being read; null once live. */
  private pending: HubEvent[] | null = [];
  private covered = 0;
  private unwatch: (() => void) | null = null;
  private context: ChatContext | undefined;
  private finished = false;

  constructor(
    private readonly socket: WebSocket,
    /** The TCP socket under `socket` (the upgrade request's), for cork/uncork. */
    private readonly transport: Duplex,
    private readonly router: AnyTRPCRouter,
    private readonly request: SubscriptionRequest,
    private readonly onFinish: () => void,
  ) {
    this.head = frameHead(request.id, request.jsonrpc);
  }

  async start(context: Promise<ChatContext> | undefined) {
    let subscription: ChatEventSubscription;
    try {
      this.context = await context;
      const result = await callTRPCProcedure({
        router: this.router,
        path: CHAT_EVENTS_PATH,
        getRawInput: async () => this.request.input,
        ctx: this.context,
        type: 'subscription',
        signal: this.abort.signal,
        batchIndex: 0,
      });
      if (!(result instanceof ChatEventSubscription))
        throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${CHAT_EVENTS_PATH} changed shape` });
      subscription = result;
    } catch (cause) {
      return this.reject(cause);
    }
    if (this.finished) return;
    if (this.socket.readyState !== OPEN) return this.finish();
    this.respond({ result: { type: 'started' } });
    await this.open(subscription).catch((error: unknown) => this.fail(subscription.mapError(error)));
  }

  /** As tRPC answers a call that failed before it started: the error alone. */
  reject(cause: unknown) {
    if (this.finished) return;
    this.respond({ error: this.errorShape(cause) });
    this.finish();
  }

  /** `subscription.stop` from the client, or its socket closed. */
  stop() {
    if (this.finished) return;
    this.respond({ result: { type: 'stopped' } });
    this.finish();
  }

  /** The hub closed (server shutting down): the subscription completes, as the generator would. */
  end() {
    this.stop();
  }

  push(events: readonly HubEvent[]) {
    if (this.finished) return;
    if (this.pending) {
      if (this.pending.length + events.length > PENDING_MAX) this.fail(new Error(TOO_SLOW));
      else this.pending.push(...events);
      return;
    }
    if (this.socket.bufferedAmount > BUFFERED_MAX) return this.fail(new Error(TOO_SLOW));
    this.corked(() => {
      for (const event of events) {
        if (event.version <= this.covered) continue;
        this.covered = event.version;
        this.socket.send(sharedFrame(this.head, formFor(this.reader!, event)), TEXT);
      }
    }, events.length);
  }

  /**
   * Several frames in one write: `ws` corks the TCP socket around each frame, and Node counts corks, so frames
   * sent inside this reach the kernel together. The system call per socket is most of a fan-out's cost, and a
   * server that falls behind reads more events per notice: this is what lets it catch up.
   */
  private corked(send: () => void, frames: number) {
    if (frames < 2) return send();
    this.transport.cork();
    try {
      send();
    } finally {
      this.transport.uncork();
    }
  }

  private async open(subscription: ChatEventSubscription) {
    const { services, actor, request } = subscription;
    const reader = await eventReader(services.env, actor, request.postId);
    if (this.finished) return;
    this.reader = reader;
    // The listener first, then the backlog: a change committed meanwhile is in one or both (event-stream.ts).
    const watch = await services.hub.watch(request.postId, this);
    this.unwatch = watch.stop;
    if (this.finished) return watch.stop();
    let covered = request.lastEventId ?? watch.from;
    if (request.lastEventId !== null) {
      for (;;) {
        const batch = await backlogBatch(services.env, request.postId, covered, reader);
        if (this.finished) return;
        this.corked(() => {
          for (const event of batch.events) this.socket.send(ownFrame(this.head, event), TEXT);
        }, batch.events.length);
        covered = Math.max(covered, batch.cursor);
        if (!batch.hasMore) break;
      }
    }
    this.covered = covered;
    const pending = this.pending ?? [];
    this.pending = null;
    this.push(pending);
  }

  private fail(error: unknown) {
    if (this.finished) return;
    this.respond({ error: this.errorShape(error) });
    this.stop();
  }

  private finish() {
    this.finished = true;
    this.pending = null;
    this.abort.abort();
    this.unwatch?.();
    this.onFinish();
  }

  private errorShape(cause: unknown) {
    return getTRPCErrorShape({
      config: this.router._def._config,
      error: getTRPCErrorFromUnknown(cause),
      type: 'subscription',
      path: CHAT_EVENTS_PATH,
      input: this.request.input,
      ctx: this.context,
    });
  }

  private respond(body: { result: { type: 'started' | 'stopped' } } | { error: unknown }) {
    // A closed socket (its close ends every subscription on it) gets nothing: no encoding for nobody.
    if (this.socket.readyState !== OPEN) return;
    const { id, jsonrpc } = this.request;
    const message = transformTRPCResponse(this.router._def._config, { id, jsonrpc, ...body } as never);
    this.socket.send(JSON.stringify(message));
  }
}
