import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../shared/wire';
import { type RunningChatServer, startChatServer } from '../http';
import { chatClient } from '../testing/trpc-client';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../testing/test-database';

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`tRPC API over HTTP and WebSocket (${testDatabaseKind})`, () => {
  let testDb: TestDatabase;
  let server: RunningChatServer;
  const sockets: Socket[] = [];
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startChatServer({ database: testDb.database });
    server.server.on('upgrade', (_req, socket: Socket) => sockets.push(socket));
  });
  afterAll(async () => {
    for (const close of closers) close();
    await server?.close();
    await testDb?.drop();
  });

  const signUp = async (first: string) => {
    const anonymous = chatClient(server.url);
    closers.push(anonymous.close);
    const email = `${first.toLowerCase()}-${randomUUID().slice(0, 6)}@example.test`;
    const { token, user } = await anonymous.client.auth.register.mutate({
      email,
      password: 'long enough password',
      first_name: first,
      last_name: 'Test',
    });
    const signedIn = chatClient(server.url, token);
    closers.push(signedIn.close);
    return { ...signedIn, token, user, email };
  };

  it('registers, logs in, answers me, logs out (the token then stops working)', async () => {
    const { email, user } = await signUp('Ada');
    const anonymous = chatClient(server.url);
    closers.push(anonymous.close);
    const login = await anonymous.client.auth.login.mutate({
      email: email.toUpperCase(),
      password: 'long enough password',
    });
    expect(login.user).toEqual(user);
    const session = chatClient(server.url, login.token);
    closers.push(session.close);
    expect(await session.client.auth.me.query()).toMatchObject({ id: user.id, email });
    await session.client.auth.logout.mutate();
    const error = await session.client.auth.me.query().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({
      refusal: 'unauthenticated',
      httpStatus: 401,
    });
  });

  it('carries refusals with their code, and answers time', async () => {
    const host = await signUp('Hana');
    const live = await host.client.lives.create.mutate({ title: 'Refusals' });
    const error = (await host.client.chat.send
      .mutate({ postId: live.id, clientId: randomUUID(), content: 'too early' })
      .catch((e: unknown) => e as TRPCClientError<never>)) as TRPCClientError<never>;
    expect(error.data).toMatchObject({ refusal: 'live_not_open' });
    expect(error.message).toBe('This live has not started yet.');
    const bad = (await host.client.chat.send
      .mutate({ postId: live.id, clientId: randomUUID(), content: ' ' })
      .catch((e: unknown) => e as TRPCClientError<never>)) as TRPCClientError<never>;
    expect(bad.data).toMatchObject({ refusal: 'invalid_input', httpStatus: 400 });
    expect(bad.message).toContain('This field may not be blank.');
    const { epochMs } = await host.client.time.query();
    expect(Math.abs(epochMs - Date.now())).toBeLessThan(5_000);
  });

  it('resumes a subscription after a dropped WebSocket, without gap or duplicate', async () => {
    const host = await signUp('Mariam');
    const live = await host.client.lives.create.mutate({ title: 'Resume' });
    await host.client.lives.start.mutate({ postId: live.id });
    const viewer = await signUp('Vic');
    const { cursor } = await viewer.client.chat.pull.query({ postId: live.id, cursor: 0 });
    const received: ChatEvent[] = [];
    const subscription = viewer.client.chat.events.subscribe(
      { postId: live.id, lastEventId: String(cursor) },
      { onData: (data) => received.push(data.data) },
    );
    closers.push(() => subscription.unsubscribe());
    const send = (content: string) =>
      host.client.chat.send.mutate({ postId: live.id, clientId: randomUUID(), content });
    const contents = () => received.flatMap((e) => (e.type === 'message' ? [e.message.content] : []));
    await send('one');
    await waitFor(() => contents().length === 1, 'the first message');
    const before = sockets.length;
    for (const socket of sockets) socket.destroy();
    // Sent while the subscriber is disconnected: must arrive after the reconnect, from the backlog.
    await send('two');
    await send('three');
    await waitFor(() => sockets.length > before, 'the reconnect');
    await send('four');
    await waitFor(() => contents().length >= 4, 'all messages');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(contents()).toEqual(['one', 'two', 'three', 'four']);
    const versions = received.map((e) => e.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it('delivers moderation changes through the subscription', async () => {
    const host = await signUp('Mod');
    const live = await host.client.lives.create.mutate({ title: 'Moderated' });
    await host.client.lives.start.mutate({ postId: live.id });
    const viewer = await signUp('Viv');
    const received: ChatEvent[] = [];
    const { cursor } = await viewer.client.chat.pull.query({ postId: live.id, cursor: 0 });
    const subscription = viewer.client.chat.events.subscribe(
      { postId: live.id, lastEventId: String(cursor) },
      { onData: (data) => received.push(data.data) },
    );
    closers.push(() => subscription.unsubscribe());
    const message = await viewer.client.chat.send.mutate({
      postId: live.id,
      clientId: randomUUID(),
      content: 'rude',
    });
    await host.client.moderation.hide.mutate({ postId: live.id, messageId: message.id });
    await host.client.moderation.setSlowMode.mutate({ postId: live.id, seconds: 10 });
    // Events are states, not diffs: a reader that was slower than the hide may see only the hidden state.
    const lastOf = (id: number) => received.findLast((e) => e.type === 'message' && e.message.id === id);
    await waitFor(
      () => received.some((e) => e.type === 'live' && e.live.slow_mode_seconds === 10),
      'slow mode',
    );
    const hidden = lastOf(message.id);
    expect(hidden?.type === 'message' && [hidden.message.hidden, hidden.message.content]).toEqual([true, '']);
    const versions = received.map((e) => e.version);
    expect(new Set(versions).size).toBe(versions.length);
  });
});
