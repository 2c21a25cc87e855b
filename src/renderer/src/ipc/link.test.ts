import { createTRPCUntypedClient, TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { IpcRequest } from '../../../shared/ipc';
import type { IpcResponse, StudioBridge } from '../../../shared/ipc-bridge';
import { findStudioBridge } from './bridge';
import { ipcLink } from './link';

/**
 * The renderer half alone, in Node: a scripted bridge stands in for the preload and the main process, so these
 * tests pin the exact messages the link sends and how it reads each kind of reply.
 */
function scriptedBridge() {
  const sent: IpcRequest[] = [];
  const listeners = new Set<(message: IpcResponse) => void>();
  const bridge: StudioBridge = {
    send: (message) => {
      sent.push(message);
    },
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const reply = (message: IpcResponse) => {
    for (const listener of listeners) listener(message);
  };
  const client = createTRPCUntypedClient({ links: [ipcLink({ bridge })] });
  return { bridge, sent, reply, client };
}

describe('ipcLink (renderer half)', () => {
  it('sends {id, method, path, input} and resolves with the data reply for that id', async () => {
    const { sent, reply, client } = scriptedBridge();
    const answer = client.query('lives.get', { liveId: 4 });
    expect(sent).toEqual([{ id: 1, method: 'query', path: 'lives.get', input: { liveId: 4 } }]);
    reply({ id: 99, result: { type: 'data', data: 'not for us' } });
    reply({ id: 1, result: { type: 'data', data: { title: 'Concert' } } });
    await expect(answer).resolves.toEqual({ title: 'Concert' });
  });

  it('gives each call its own id and routes replies that arrive out of order', async () => {
    const { sent, reply, client } = scriptedBridge();
    const first = client.mutation('chat.send', { content: 'a' });
    const second = client.mutation('chat.send', { content: 'b' });
    expect(sent.map((message) => [message.id, message.method])).toEqual([
      [1, 'mutation'],
      [2, 'mutation'],
    ]);
    reply({ id: 2, result: { type: 'data', data: 'B' } });
    reply({ id: 1, result: { type: 'data', data: 'A' } });
    await expect(Promise.all([first, second])).resolves.toEqual(['A', 'B']);
  });

  it('turns an error reply into a TRPCClientError with the router shape (code, message, data)', async () => {
    const { reply, client } = scriptedBridge();
    const answer = client.query('lives.get', { liveId: 1 }).catch((error: unknown) => error);
    reply({
      id: 1,
      error: { code: -32004, message: 'Live introuvable', data: { code: 'NOT_FOUND', httpStatus: 404 } },
    });
    const error = (await answer) as TRPCClientError<never>;
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error.message).toBe('Live introuvable');
    expect(error.data).toEqual({ code: 'NOT_FOUND', httpStatus: 404 });
    expect(error.shape).toMatchObject({ code: -32004 });
  });

  it('delivers subscription data, and completes on stopped', async () => {
    const { sent, reply, client } = scriptedBridge();
    const events: string[] = [];
    const done = new Promise<void>((resolve) => {
      client.subscription(
        'chat.onChange',
        { liveId: 2 },
        {
          onStarted: () => events.push('started'),
          onData: (data) => events.push(`data:${JSON.stringify(data)}`),
          onStopped: () => events.push('stopped'),
          onComplete: () => resolve(),
        },
      );
    });
    expect(sent[0]).toEqual({ id: 1, method: 'subscription', path: 'chat.onChange', input: { liveId: 2 } });
    reply({ id: 1, result: { type: 'started' } });
    reply({ id: 1, result: { type: 'data', id: '7', data: { id: '7', data: { n: 1 } } } });
    reply({ id: 1, result: { type: 'stopped' } });
    await done;
    expect(events).toEqual(['started', 'data:{"id":"7","data":{"n":1}}', 'stopped']);
    expect(sent).toHaveLength(1); // the host ended it: no stop message back
  });

  it('sends subscription.stop with the same id when the client unsubscribes, and ignores later replies', () => {
    const { sent, reply, client } = scriptedBridge();
    const data: unknown[] = [];
    const subscription = client.subscription('connection.onStatus', undefined, {
      onData: (d) => data.push(d),
    });
    reply({ id: 1, result: { type: 'data', data: 'online' } });
    subscription.unsubscribe();
    reply({ id: 1, result: { type: 'data', data: 'offline' } });
    expect(sent).toEqual([
      { id: 1, method: 'subscription', path: 'connection.onStatus', input: undefined },
      { id: 1, method: 'subscription.stop' },
    ]);
    expect(data).toEqual(['online']);
  });

  it('fails the call (instead of hanging) when the bridge cannot send the input', async () => {
    const { bridge, client } = scriptedBridge();
    bridge.send = () => {
      throw new Error('An object could not be cloned.');
    };
    await expect(client.mutation('recording.chunk', { bytes: () => 1 })).rejects.toThrow(
      'An object could not be cloned.',
    );
  });
});

describe('findStudioBridge (the transport seam)', () => {
  it('returns the preload bridge only when it has both functions, so a browser page falls back to WebSocket', () => {
    const bridge: StudioBridge = { send: () => {}, onMessage: () => () => {} };
    expect(findStudioBridge({ studioBridge: bridge })).toBe(bridge);
    expect(findStudioBridge({})).toBeUndefined();
    expect(findStudioBridge({ studioBridge: { send: () => {} } as unknown as StudioBridge })).toBeUndefined();
  });
});
