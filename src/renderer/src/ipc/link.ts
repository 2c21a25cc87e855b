import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { getTransformer, type TransformerOptions } from '@trpc/client/unstable-internals';
import { observable } from '@trpc/server/observable';
import type { AnyRouter, inferClientTypes } from '@trpc/server/unstable-core-do-not-import';
import { transformResult } from '@trpc/server/unstable-core-do-not-import';
import type { IpcCall } from '../../../shared/ipc';
import type { IpcResponse, StudioBridge } from '../../../shared/ipc-bridge';

/**
 * The renderer half of the tRPC IPC transport: a terminating tRPC v11 link that sends each operation over the
 * preload's bridge and maps the main process's replies (tRPC's own result and error shapes) back to the client.
 * It needs nothing but the bridge object, so it runs (and is tested) outside a browser as well.
 */
export type IpcLinkOptions<TRouter extends AnyRouter> = {
  bridge: StudioBridge;
} & TransformerOptions<inferClientTypes<TRouter>>;

export function ipcLink<TRouter extends AnyRouter>(options: IpcLinkOptions<TRouter>): TRPCLink<TRouter> {
  const transformer = getTransformer(options.transformer);
  return () => {
    const replies = createReplyRouter(options.bridge);
    return ({ op }) =>
      observable((observer) => {
        const id = replies.nextId();
        let finished = false;
        const finish = () => {
          finished = true;
          replies.forget(id);
        };

        replies.expect(id, (message) => {
          const transformed = transformResult(message as never, transformer.output);
          if (!transformed.ok) {
            finish();
            observer.error(TRPCClientError.from(transformed.error));
            return;
          }
          const result = transformed.result;
          if (op.type !== 'subscription') {
            finish();
            observer.next({ result, context: op.context });
            observer.complete();
            return;
          }
          observer.next({ result, context: op.context });
          if (result.type === 'stopped') {
            finish();
            observer.complete();
          }
        });

        const call: IpcCall = {
          id,
          method: op.type,
          path: op.path,
          input: transformer.input.serialize(op.input),
        };
        try {
          options.bridge.send(call);
        } catch (cause) {
          // e.g. an input the structured clone cannot copy (a function, a DOM node): say so, do not hang.
          finish();
          observer.error(TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause))));
        }

        return () => {
          if (finished) return;
          finish();
          // The client unsubscribed (component unmounted, query aborted): the host stops streaming too.
          if (op.type === 'subscription') options.bridge.send({ id, method: 'subscription.stop' });
        };
      });
  };
}

type ReplyRouter = {
  nextId(): number;
  expect(id: number, handler: (message: IpcResponse) => void): void;
  forget(id: number): void;
};

/** One bridge listener per link, dispatching each reply to the operation that waits for its id. */
function createReplyRouter(bridge: StudioBridge): ReplyRouter {
  const waiting = new Map<number, (message: IpcResponse) => void>();
  let lastId = 0;
  bridge.onMessage((message) => {
    if (message === null || typeof message !== 'object' || typeof message.id !== 'number') return;
    waiting.get(message.id)?.(message);
  });
  return {
    nextId: () => {
      lastId += 1;
      return lastId;
    },
    expect: (id, handler) => {
      waiting.set(id, handler);
    },
    forget: (id) => {
      waiting.delete(id);
    },
  };
}
