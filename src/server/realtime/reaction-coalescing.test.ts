import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ChatEvent, Message } from '../../shared/wire';
import { sendMessage } from '../domain/chat';
import { react } from '../domain/reactions';
import { type RunningChatServer, startChatServer } from '../http';
import { type SeededUser, seedLive, seedUser } from '../testing/fixtures';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';
import { ChatHub } from './hub';
import { REACTION_WINDOW_MS } from './reaction-window';

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Received = { at: number; event: ChatEvent };

/** A raw WebSocket subscribed to chat.events (tRPC's protocol), recording each event and when it came. */
async function subscriber(baseUrl: string, token: string, postId: number) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/trpc?connectionParams=1`);
  const received: Received[] = [];
  let started = false;
  socket.on('message', (data) => {
    const text = data.toString();
    if (text === 'PING' || text === 'PONG') return;
    const { result } = JSON.parse(text) as { result?: { type: string; data?: { data: ChatEvent } } };
    if (result?.type === 'started') started = true;
    if (result?.type === 'data') received.push({ at: performance.now(), event: result.data!.data });
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
  socket.send(
    JSON.stringify({ id: 1, method: 'subscription', params: { path: 'chat.events', input: { postId } } }),
  );
  await waitFor(() => started, 'the subscription to start');
  // `started` comes before the hub watches the live: give it a moment, as the neighbouring tests do.
  await sleep(300);
  return { socket, received };
}

/** The frames of one message, and the counts each carried. */
const framesOf = (received: Received[], messageId: number) =>
  received.filter(
    (r): r is Received & { event: Extract<ChatEvent, { type: 'message' }> } =>
      r.event.type === 'message' && r.event.message.id === messageId,
  );
const countsOf = (message: Message) => message.reactions.map(({ emoji, count }) => ({ emoji, count }));

const EMOJIS = ['👍', '🔥', '🎉'];
const BURST_MS = 1_500;

describe(`reactions coalesced on their way to subscribers (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;
  let host: SeededUser;
  let viewer: SeededUser;
  let reactors: SeededUser[];
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startChatServer({ database: testDb.database });
    host = await seedUser(server.services.env, 'Mariam', 'Diallo');
    viewer = await seedUser(server.services.env, 'Vera', 'Viewer');
    reactors = await Promise.all(
      Array.from({ length: 24 }, (_, i) => seedUser(server.services.env, 'Rita', `Reactor${i}`)),
    );
  }, 120_000);
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await server?.close();
    await testDb?.drop();
  });

  /** A fresh live of the host with one message, and a viewer's subscriber on it. */
  async function liveWithMessage(on: RunningChatServer, content: string) {
    const env = on.services.env;
    const live = await seedLive(env, host.user);
    const message = await sendMessage(env, host.user, { postId: live.id, clientId: randomUUID(), content });
    const watching = await subscriber(on.url, viewer.token, live.id);
    sockets.push(watching.socket);
    return { live, message, watching };
  }

  /**
   * Every reactor toggles its emoji on `messageId` as fast as the server answers for `ms`; `during` runs once
   * halfway. Resolves with when it began and each reactor's last answer's state.
   */
  async function burst(postId: number, messageId: number, ms: number, during?: () => Promise<void>) {
    const env = server.services.env;
    const began = performance.now();
    const halfway = during ? sleep(ms / 2).then(during) : Promise.resolve();
    let answers = 0;
    await Promise.all(
      reactors.map(async (reactor, i) => {
        let on = true;
        while (performance.now() - began < ms) {
          await react(env, reactor.user, { postId, messageId, emoji: EMOJIS[i % EMOJIS.length]!, on });
          on = !on;
          answers++;
        }
      }),
    );
    await halfway;
    return { began, answers };
  }

  it('a burst on one message: at most one frame per window, the last one with the exact counts and `mine`', async () => {
    const env = server.services.env;
    const { live, message, watching } = await liveWithMessage(server, 'Réagissez !');
    // Reactor 0 subscribes too: its frames must say which reaction is its own.
    const reacting = await subscriber(server.url, reactors[0]!.token, live.id);
    sockets.push(reacting.socket);

    const { began, answers } = await burst(live.id, message.id, BURST_MS);
    // Reactor 0 ends with its reaction given (a no-op when it already was), so its `mine` has something to say.
    const final = await react(env, reactors[0]!.user, {
      postId: live.id,
      messageId: message.id,
      emoji: EMOJIS[0]!,
      on: true,
    });
    const last = (received: Received[]) => framesOf(received, message.id).at(-1)?.event;
    await waitFor(
      () => [watching, reacting].every((s) => last(s.received)?.version === final.version),
      'the final state on both subscribers',
    );
    await sleep(REACTION_WINDOW_MS * 3);

    expect(answers).toBeGreaterThan(100);
    for (const { received } of [watching, reacting]) {
      const frames = framesOf(received, message.id);
      const duration = frames.at(-1)!.at - began;
      expect(frames.length).toBeLessThanOrEqual(Math.floor(duration / REACTION_WINDOW_MS) + 1);
      // Far fewer frames than reactions, and the counts moved during the burst, not only once it stopped (a row
      // rewritten this often is above every read's horizon: hub-read.ts carries it to the next read).
      expect(frames.filter((f) => f.at < began + BURST_MS).length).toBeGreaterThan(1);
      expect(frames.length).toBeLessThan(answers / 4);
      const versions = frames.map((f) => f.event.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
      expect(countsOf(last(received)!.message)).toEqual(countsOf(final));
    }
    const mine = (m: Message) => m.reactions.filter((r) => r.mine).map((r) => r.emoji);
    expect(mine(last(reacting.received)!.message)).toEqual([EMOJIS[0]]);
    expect(mine(last(watching.received)!.message)).toEqual([]);
  }, 60_000);

  it('a message sent during a burst is not held by the window, nor overtakes a held reaction', async () => {
    // A second server whose hub holds reactions for a whole second: a message held with them would show.
    const slow = await startChatServer({ database: testDb.database });
    const longWindow = 1_000;
    slow.services.hub.close();
    slow.services.hub = new ChatHub(slow.services.env, slow.fanout, { reactionWindowMs: longWindow });
    try {
      const env = slow.services.env;
      const { live, message, watching } = await liveWithMessage(slow, 'Vote !');
      const plain = { committed: 0, version: 0 };
      await burst(live.id, message.id, BURST_MS, async () => {
        const posted = await sendMessage(env, host.user, {
          postId: live.id,
          clientId: randomUUID(),
          content: 'pendant le vote',
        });
        Object.assign(plain, { committed: performance.now(), version: posted.version });
      });
      await sleep(longWindow * 2);

      const arrived = watching.received.find(
        (r) => r.event.type === 'message' && r.event.message.content === 'pendant le vote',
      )!;
      expect(arrived).toBeDefined();
      // From its commit (the send's answer) to the subscriber: a read or two, not the window held back.
      expect(arrived.at - plain.committed).toBeLessThan(longWindow / 2);
      const versions = watching.received.map((r) => r.event.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      // The reactions held when it came went out just before it (in the same write), not after it with a
      // smaller version (which the subscriber would skip, and a client resuming from its version would lose).
      const before = watching.received[watching.received.indexOf(arrived) - 1]!;
      expect(before.event.type === 'message' && before.event.message.id).toBe(message.id);
      expect(before.event.version).toBeLessThan(plain.version);
      // The window kept its promise otherwise: about one frame a second for the message, over 1.5 s.
      expect(framesOf(watching.received, message.id).length).toBeLessThanOrEqual(4);
    } finally {
      slow.services.hub.close();
      await slow.close();
    }
  }, 60_000);
});
