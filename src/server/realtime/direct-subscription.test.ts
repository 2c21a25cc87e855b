import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TRPCClientError } from '@trpc/client';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { ChatEvent } from '../../shared/wire';
import { sendMessage } from '../domain/chat';
import { hideMessage } from '../domain/moderation';
import { type RunningChatServer, startChatServer } from '../http';
import { createChatContext } from '../routers/context';
import { DirectSubscription } from './direct-subscription';
import type { HubEvent } from './hub';
import type { AppRouter } from '../routers/root';
import { appRouter } from '../routers/root';
import { type SeededUser, seedLive, seedUser } from '../testing/fixtures';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { chatClient } from '../testing/trpc-client';

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Frame = { id: unknown; text: string; binary: boolean };

/** A raw WebSocket speaking tRPC's protocol, recording every frame the server sends. */
async function connect(baseUrl: string, token: string | null) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/trpc?connectionParams=1`);
  const frames: Frame[] = [];
  socket.on('message', (data, binary) => {
    const text = data.toString();
    if (text === 'PING' || text === 'PONG') return;
    frames.push({ id: (JSON.parse(text) as { id: unknown }).id, text, binary });
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ method: 'connectionParams', data: { token: token ?? '' } }));
  return {
    socket,
    frames,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    of: (id: unknown) => frames.filter((frame) => frame.id === id).map((frame) => frame.text),
  };
}
type Wire = Awaited<ReturnType<typeof connect>>;

const subscribe = (id: number, input: unknown, lastEventId?: string) => ({
  id,
  method: 'subscription',
  params: { path: 'chat.events', input, ...(lastEventId !== undefined && { lastEventId }) },
});
const dataOf = (text: string) =>
  (JSON.parse(text) as { result: { type: string; id: string; data: { data: ChatEvent } } }).result;
/** A subscription's data frames as text: a message's content, or the event type. */
const contents = (frames: string[]) =>
  frames
    .map(dataOf)
    .filter((result) => result.type === 'data')
    .map(({ data: { data: event } }) => (event.type === 'message' ? event.message.content : event.type));

/** Waits until every wire stopped receiving for a moment. */
async function settle(wires: Wire[]) {
  let counts = '';
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = wires.map((wire) => wire.frames.length).join(',');
    if (now === counts) return;
    counts = now;
  }
}

describe(`chat.events served directly on the WebSocket (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;
  // tRPC's own WebSocket handler on the same router and services: what the direct path must be identical to.
  let reference: { http: Server; wss: WebSocketServer; url: string };
  let host: SeededUser;
  let viewer: SeededUser;
  const wires: Wire[] = [];
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startChatServer({ database: testDb.database });
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    applyWSSHandler<AppRouter>({
      wss,
      router: appRouter,
      createContext: ({ info }) => {
        const token = info.connectionParams?.token;
        return createChatContext(server.services, typeof token === 'string' ? token : null);
      },
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    reference = { http, wss, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
    host = await seedUser(server.services.env, 'Mariam', 'Diallo');
    viewer = await seedUser(server.services.env, 'Vera', 'Viewer');
  });
  afterAll(async () => {
    for (const close of closers) close();
    closeWires();
    for (const client of reference?.wss.clients ?? []) client.terminate();
    reference?.wss.close();
    await new Promise((resolve) => reference?.http.close(resolve));
    await server?.close();
    await testDb?.drop();
  });

  const closeWires = () => {
    for (const wire of wires.splice(0)) wire.socket.terminate();
  };
  const open = async (url: string, token: string | null) => {
    const wire = await connect(url, token);
    wires.push(wire);
    return wire;
  };
  const post = (author: SeededUser, postId: number, content: string) =>
    sendMessage(server.services.env, author.user, { postId, clientId: randomUUID(), content });

  it('sends exactly the frames tRPC’s own handler sends: backlog, live events, forms, errors, stop', async () => {
    const live = await seedLive(server.services.env, host.user);
    await post(viewer, live.id, 'first');
    const rude = await post(viewer, live.id, 'rude');
    await hideMessage(server.services.env, host.user, { postId: live.id, messageId: rude.id });
    const pairs = await Promise.all(
      [viewer, host].map(async (user) => [
        await open(server.url, user.token),
        await open(reference.url, user.token),
      ]),
    );
    const all = pairs.flat();
    for (const wire of all)
      wire.send([
        subscribe(1, { postId: live.id, lastEventId: '0' }),
        // A reconnecting wsLink client sends its last event id beside the input.
        subscribe(2, { postId: live.id }, '0'),
        { id: 3, method: 'query', params: { path: 'lives.get', input: { postId: live.id } } },
        subscribe(4, { postId: 'x' }),
        subscribe(5, { postId: 999_999 }),
      ]);
    await settle(all);
    const backlog = all[0]!.of(2).length;
    // One change at a time: events are states, so a hide read together with its insert would be one event.
    const step = async (change: () => Promise<unknown>, what: string) => {
      const before = all[0]!.of(2).length;
      await change();
      await waitFor(() => all.every((wire) => wire.of(2).length > before), what);
    };
    await step(() => post(host, live.id, 'live one'), 'a live event');
    const late = await post(viewer, live.id, 'late and rude');
    await waitFor(() => all.every((wire) => wire.of(2).length === backlog + 2), 'the second live event');
    await step(
      () => hideMessage(server.services.env, host.user, { postId: live.id, messageId: late.id }),
      'the hide',
    );
    for (const wire of all) wire.send({ id: 1, method: 'subscription.stop' });
    await settle(all);
    await step(() => post(host, live.id, 'after the stop'), 'the event after the stop');
    await settle(all);

    for (const [direct, tRPC] of pairs) {
      for (const id of [1, 2, 3, 4, 5]) expect(direct!.of(id), `request ${id}`).toEqual(tRPC!.of(id));
      expect(direct!.frames.every((frame) => !frame.binary)).toBe(true);
    }
    // And what that is: started, the backlog (the live itself, two messages), three live events, stopped.
    const [viewerWire] = pairs[0]!;
    const [hostWire] = pairs[1]!;
    expect(viewerWire!.of(1).map((text) => dataOf(text).type)).toEqual([
      'started',
      ...Array(6).fill('data'),
      'stopped',
    ]);
    expect(contents(viewerWire!.of(2))).toEqual([
      'live',
      'first',
      '',
      'live one',
      'late and rude',
      '',
      'after the stop',
    ]);
    expect(contents(hostWire!.of(2))).toEqual([
      'live',
      'first',
      'rude',
      'live one',
      'late and rude',
      'late and rude',
      'after the stop',
    ]);
    const versions = viewerWire!
      .of(2)
      .slice(1)
      .map((text) => Number(dataOf(text).id));
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(JSON.parse(viewerWire!.of(4)[0]!).error.data).toMatchObject({ code: 'BAD_REQUEST' });
    expect(viewerWire!.of(5).map((text) => JSON.parse(text).error?.data.code ?? dataOf(text).type)).toEqual([
      'started',
      'NOT_FOUND',
      'stopped',
    ]);
    closeWires();
  });

  it('refuses an unauthenticated subscription with tRPC’s error, as tRPC’s handler does', async () => {
    const live = await seedLive(server.services.env, host.user);
    const wires = [await open(server.url, 'not-a-token'), await open(reference.url, 'not-a-token')];
    for (const wire of wires) wire.send(subscribe(7, { postId: live.id }));
    await waitFor(() => wires.every((wire) => wire.frames.length > 0), 'the refusals');
    await settle(wires);
    expect(wires[0]!.of(7)).toEqual(wires[1]!.of(7));
    const { error } = JSON.parse(wires[0]!.of(7)[0]!);
    expect(error.data).toMatchObject({
      code: 'UNAUTHORIZED',
      refusal: 'unauthenticated',
      path: 'chat.events',
    });
    expect(wires[0]!.of(7)).toHaveLength(1);
    closeWires();
  });

  it('delivers a burst (several events per hub read, one write per socket) complete and in order', async () => {
    await waitFor(() => server.services.hub.subscriberCount === 0, 'earlier subscriptions to end');
    const live = await seedLive(server.services.env, host.user);
    const pair = [await open(server.url, viewer.token), await open(reference.url, viewer.token)];
    for (const wire of pair) wire.send(subscribe(1, { postId: live.id }));
    await waitFor(() => server.services.hub.subscriberCount === 2, 'both subscriptions');
    const burst = Array.from({ length: 30 }, (_, i) => `burst ${i}`);
    await Promise.all(burst.map((content) => post(host, live.id, content)));
    await waitFor(() => pair.every((wire) => contents(wire.of(1)).length === burst.length), 'the burst');
    expect(pair[0]!.of(1)).toEqual(pair[1]!.of(1));
    expect([...contents(pair[0]!.of(1))].sort()).toEqual([...burst].sort());
    const versions = pair[0]!
      .of(1)
      .slice(1)
      .map((text) => Number(dataOf(text).id));
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    closeWires();
  });

  it('resumes after a dropped socket from the last event id, without gap or duplicate', async () => {
    const live = await seedLive(server.services.env, host.user);
    await post(host, live.id, 'before');
    const first = await open(server.url, viewer.token);
    first.send(subscribe(1, { postId: live.id, lastEventId: '0' }));
    await waitFor(() => contents(first.of(1)).includes('before'), 'the backlog');
    await post(host, live.id, 'one');
    await waitFor(() => contents(first.of(1)).includes('one'), 'a live event');
    const lastId = dataOf(first.of(1).at(-1)!).id;
    first.socket.terminate();
    await waitFor(() => server.services.hub.subscriberCount === 0, 'the closed socket to leave the hub');
    await post(host, live.id, 'two');
    await post(host, live.id, 'three');
    const second = await open(server.url, viewer.token);
    second.send(subscribe(1, { postId: live.id }, lastId));
    await waitFor(() => contents(second.of(1)).includes('three'), 'the missed events');
    await post(host, live.id, 'four');
    await waitFor(() => contents(second.of(1)).includes('four'), 'the next live event');
    expect([...contents(first.of(1)), ...contents(second.of(1))]).toEqual([
      'live',
      'before',
      'one',
      'two',
      'three',
      'four',
    ]);
    const versions = [...first.of(1), ...second.of(1)]
      .map(dataOf)
      .filter((result) => result.type === 'data')
      .map((result) => Number(result.id));
    expect(new Set(versions).size).toBe(versions.length);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    closeWires();
  });

  it('ends a subscriber that stops reading with tRPC’s error instead of buffering without bound', async () => {
    await waitFor(() => server.services.hub.subscriberCount === 0, 'earlier subscriptions to end');
    const live = await seedLive(server.services.env, host.user);
    const message = await post(host, live.id, 'template');
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    closers.push(() => wss.close());
    await new Promise((resolve) => wss.once('listening', resolve));
    let subscription: DirectSubscription | undefined;
    wss.on('connection', (socket, req) => {
      subscription = new DirectSubscription(
        socket,
        req.socket,
        appRouter,
        { id: 1, jsonrpc: undefined, input: { postId: live.id } },
        () => {},
      );
      void subscription.start(createChatContext(server.services, viewer.token));
    });
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    closers.push(() => client.terminate());
    const frames: string[] = [];
    client.on('message', (data) => frames.push(data.toString()));
    await waitFor(
      () => server.services.hub.subscriberCount === 1 && subscription !== undefined,
      'the subscription',
    );
    client.pause();
    // Events of 64 KB (real ones are smaller: this only fills the socket faster) until the server gives up.
    const big = 'x'.repeat(64 * 1024);
    const event = (version: number): HubEvent => {
      const form: ChatEvent = { type: 'message', version, message: { ...message, version, content: big } };
      return { version, staff: form, viewer: form };
    };
    for (let version = message.version + 1; server.services.hub.subscriberCount > 0; version++) {
      subscription!.push([event(version)]);
      if (version > message.version + 1_000) throw new Error('never counted as too slow');
    }
    client.resume();
    await waitFor(() => JSON.parse(frames.at(-1) ?? '{}').result?.type === 'stopped', 'the end');
    const error = JSON.parse(frames.at(-2)!);
    expect(error).toMatchObject({
      id: 1,
      error: { message: 'Subscriber too slow: reconnect to resume from the last event.' },
    });
    expect(error.error.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', path: 'chat.events' });
    expect(dataOf(frames[0]!).type).toBe('started');
    expect(frames.slice(1, -2).every((text) => dataOf(text).type === 'data')).toBe(true);
  });

  it('serves tRPC clients: live events in the reader’s form, unsubscribe and refusals through wsLink', async () => {
    await waitFor(() => server.services.hub.subscriberCount === 0, 'earlier subscriptions to end');
    const live = await seedLive(server.services.env, host.user);
    const received = { host: [] as ChatEvent[], viewer: [] as ChatEvent[] };
    const subscriptions = (['host', 'viewer'] as const).map((who) => {
      const { client, close } = chatClient(server.url, (who === 'host' ? host : viewer).token);
      closers.push(close);
      return client.chat.events.subscribe(
        { postId: live.id },
        { onData: (data) => received[who].push(data.data) },
      );
    });
    await waitFor(() => server.services.hub.subscriberCount === 2, 'both subscriptions');
    const message = await post(viewer, live.id, 'shown, then hidden');
    await waitFor(() => received.host.length === 1 && received.viewer.length === 1, 'the message');
    await hideMessage(server.services.env, host.user, { postId: live.id, messageId: message.id });
    await waitFor(() => received.host.length === 2 && received.viewer.length === 2, 'the hide');
    const last = (events: ChatEvent[]) => events.at(-1)?.type === 'message' && events.at(-1);
    expect(last(received.host)).toMatchObject({ message: { hidden: true, content: 'shown, then hidden' } });
    expect(last(received.viewer)).toMatchObject({ message: { hidden: true, content: '' } });
    for (const subscription of subscriptions) subscription.unsubscribe();
    await waitFor(() => server.services.hub.subscriberCount === 0, 'the unsubscribes');

    const stranger = chatClient(server.url, 'not-a-token');
    closers.push(stranger.close);
    const refusal = await new Promise<TRPCClientError<AppRouter>>((resolve) =>
      stranger.client.chat.events.subscribe(
        { postId: live.id },
        { onError: (error) => resolve(error as TRPCClientError<AppRouter>) },
      ),
    );
    expect(refusal.data).toMatchObject({ code: 'UNAUTHORIZED', refusal: 'unauthenticated' });
  });
});
