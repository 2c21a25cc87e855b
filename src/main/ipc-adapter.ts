import { TRPCError } from '@trpc/server';
import { isObservable, observableToAsyncIterable } from '@trpc/server/observable';
import {
  type AnyRouter,
  callProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAsyncIterable,
  isTrackedEnvelope,
  transformTRPCResponse,
} from '@trpc/server/unstable-core-do-not-import';
import {
  IPC_CHANNEL,
  type IpcCall,
  type IpcErrorShape,
  type IpcResponse,
  ipcRequestSchema,
} from '../shared/ipc';

/**
 * The main half of the tRPC IPC transport (tRPC v11; electron-trpc only speaks v10). It answers the renderer's
 * requests by calling the router directly, streams subscriptions, and stops them when the page that opened them
 * goes away (window closed, reload, navigation). No Electron import: it takes ipcMain and webContents as the
 * small shapes below, so tests drive it with a fake pair and the real hostRouter.
 */

/** The part of a webContents the adapter uses. */
export type IpcSender = {
  readonly id: number;
  send(channel: string, message: IpcResponse): void;
  isDestroyed(): boolean;
  on(event: 'destroyed', listener: () => void): unknown;
  on(
    event: 'did-start-navigation',
    listener: (details: { isMainFrame: boolean; isSameDocument: boolean }) => void,
  ): unknown;
};

/** The part of an IpcMainEvent the adapter uses; `senderFrame` is checked by `isTrustedSender`. */
export type IpcEventLike = { sender: IpcSender; senderFrame?: unknown };

export type IpcMainLike = {
  on(channel: string, listener: (event: IpcEventLike, message: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, message: unknown) => void): unknown;
};

export type IpcAdapterOptions<TRouter extends AnyRouter> = {
  ipcMain: IpcMainLike;
  router: TRouter;
  createContext: (opts: { sender: IpcSender }) => Promise<unknown> | unknown;
  /** Every message from another frame or window is dropped unanswered: only our page may drive the host. */
  isTrustedSender: (event: IpcEventLike) => boolean;
  onError?: (opts: { error: TRPCError; path: string | undefined }) => void;
  onUntrustedMessage?: (event: IpcEventLike) => void;
};

export type IpcAdapter = {
  /** Subscriptions currently open, per webContents id (for tests and diagnostics). */
  openSubscriptions(senderId: number): number;
  /** Stops every subscription and stops listening. */
  close(): void;
};

type SenderState = {
  sender: IpcSender;
  subscriptions: Map<number, AbortController>;
  /** Bumped on every main-frame navigation: replies meant for the previous page are dropped, not misdelivered. */
  generation: number;
};

export function createIpcAdapter<TRouter extends AnyRouter>(options: IpcAdapterOptions<TRouter>): IpcAdapter {
  const { router } = options;
  const config = router._def._config;
  const senders = new Map<number, SenderState>();

  const stopAll = (state: SenderState) => {
    for (const controller of state.subscriptions.values()) controller.abort();
    state.subscriptions.clear();
  };

  const stateOf = (sender: IpcSender): SenderState => {
    const known = senders.get(sender.id);
    if (known) return known;
    const state: SenderState = { sender, subscriptions: new Map(), generation: 0 };
    senders.set(sender.id, state);
    // The page is gone: its subscriptions must not keep the host's listeners (and their memory) alive.
    sender.on('destroyed', () => {
      stopAll(state);
      senders.delete(sender.id);
    });
    // A reload or navigation of the main frame starts a new page with new request ids.
    sender.on('did-start-navigation', (details) => {
      if (!details.isMainFrame || details.isSameDocument) return;
      state.generation += 1;
      stopAll(state);
    });
    return state;
  };

  const reply = (state: SenderState, generation: number, response: IpcResponse) => {
    if (state.generation !== generation || state.sender.isDestroyed()) return;
    state.sender.send(IPC_CHANNEL, transformTRPCResponse(config, response as never) as IpcResponse);
  };

  const replyError = (
    state: SenderState,
    generation: number,
    id: number | null,
    cause: unknown,
    call: Pick<IpcCall, 'method' | 'path' | 'input'> | undefined,
    ctx: unknown,
  ) => {
    const error = getTRPCErrorFromUnknown(cause);
    options.onError?.({ error, path: call?.path });
    const shape = getErrorShape({
      config,
      error,
      type: call?.method ?? 'unknown',
      path: call?.path,
      input: call?.input,
      ctx,
    }) as IpcErrorShape;
    reply(state, generation, { id, error: shape });
  };

  const streamSubscription = async (
    state: SenderState,
    generation: number,
    call: IpcCall,
    iterable: AsyncIterable<unknown>,
    controller: AbortController,
    ctx: unknown,
  ) => {
    const iterator = iterable[Symbol.asyncIterator]();
    try {
      while (true) {
        const next = await nextUnlessAborted(iterator, controller.signal);
        if (next === 'aborted' || next.done) break;
        const value = next.value;
        if (isTrackedEnvelope(value)) {
          const [eventId, data] = value;
          reply(state, generation, {
            id: call.id,
            result: { type: 'data', id: eventId, data: { id: eventId, data } },
          });
        } else {
          reply(state, generation, { id: call.id, result: { type: 'data', data: value } });
        }
      }
      reply(state, generation, { id: call.id, result: { type: 'stopped' } });
    } catch (cause) {
      replyError(state, generation, call.id, cause, call, ctx);
    } finally {
      if (state.subscriptions.get(call.id) === controller) state.subscriptions.delete(call.id);
      controller.abort();
      // Runs the procedure's `finally` (listeners removed). Not awaited: a generator stuck on a promise that
      // ignores the signal must not hold this loop.
      void iterator.return?.().catch(() => undefined);
    }
  };

  const handleCall = async (state: SenderState, generation: number, call: IpcCall) => {
    let ctx: unknown;
    const controller = new AbortController();
    try {
      if (call.method === 'subscription' && state.subscriptions.has(call.id)) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate subscription id ${call.id}` });
      }
      if (call.method === 'subscription') state.subscriptions.set(call.id, controller);
      ctx = await options.createContext({ sender: state.sender });
      const input = withLastEventId(call.input, call.lastEventId);
      const result = await callProcedure({
        router,
        path: call.path,
        getRawInput: async () => input,
        ctx,
        type: call.method,
        signal: controller.signal,
        batchIndex: 0,
      });
      const streams = isAsyncIterable(result) || isObservable(result);
      if (call.method !== 'subscription') {
        if (streams) {
          throw new TRPCError({
            code: 'INTERNAL_SERVER_ERROR',
            message: `${call.method} ${call.path} returned a stream; only a subscription may`,
          });
        }
        reply(state, generation, { id: call.id, result: { type: 'data', data: result } });
        return;
      }
      if (!streams) {
        throw new TRPCError({
          code: 'INTERNAL_SERVER_ERROR',
          message: `Subscription ${call.path} did not return an async iterable or an observable`,
        });
      }
      if (controller.signal.aborted) return; // stopped (or page gone) while the procedure was starting
      const iterable = isObservable(result)
        ? observableToAsyncIterable(result, controller.signal)
        : (result as AsyncIterable<unknown>);
      reply(state, generation, { id: call.id, result: { type: 'started' } });
      await streamSubscription(state, generation, call, iterable, controller, ctx);
    } catch (cause) {
      if (state.subscriptions.get(call.id) === controller) state.subscriptions.delete(call.id);
      replyError(state, generation, call.id, cause, call, ctx);
    }
  };

  const onMessage = (event: IpcEventLike, message: unknown) => {
    if (!options.isTrustedSender(event)) {
      options.onUntrustedMessage?.(event);
      return;
    }
    const state = stateOf(event.sender);
    const generation = state.generation;
    const parsed = ipcRequestSchema.safeParse(message);
    if (!parsed.success) {
      const id = readId(message);
      const error = new TRPCError({
        code: 'BAD_REQUEST',
        message: `Malformed IPC request: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`).join('; ')}`,
      });
      replyError(state, generation, id, error, undefined, undefined);
      return;
    }
    const request = parsed.data;
    if (request.method === 'subscription.stop') {
      state.subscriptions.get(request.id)?.abort();
      state.subscriptions.delete(request.id);
      return;
    }
    void handleCall(state, generation, request);
  };

  options.ipcMain.on(IPC_CHANNEL, onMessage);

  return {
    openSubscriptions: (senderId) => senders.get(senderId)?.subscriptions.size ?? 0,
    close: () => {
      options.ipcMain.removeListener(IPC_CHANNEL, onMessage);
      for (const state of senders.values()) stopAll(state);
      senders.clear();
    },
  };
}

/** Like tRPC's WebSocket adapter: a resumed subscription receives `lastEventId` inside its input. */
function withLastEventId(input: unknown, lastEventId: string | undefined): unknown {
  if (lastEventId === undefined) return input;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) return { ...input, lastEventId };
  return input ?? { lastEventId };
}

function readId(message: unknown): number | null {
  if (message === null || typeof message !== 'object') return null;
  const id = (message as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

/** The iterator's next value, or 'aborted' as soon as the signal fires (without leaking a listener per value). */
function nextUnlessAborted<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal,
): Promise<IteratorResult<T> | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
