import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, type TRPCLink, TRPCClientError } from '@trpc/client';
import { tracked } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHost, HOST_VERSION, type Host } from '../host/host';
import { hostRouter } from '../host/routers';
import { publicProcedure, router } from '../host/routers/trpc';
import { ipcLink } from '../renderer/src/ipc/link';
import { createIpcAdapter, type IpcAdapter } from './ipc-adapter';
import { FakeIpcMain, FakeWebContents } from './testing/fake-ipc';
import { isFromOurMainFrame } from './trusted-sender';

/**
 * Both halves of the IPC transport together — the renderer's ipcLink and main's adapter — across a FAKE
 * ipcMain/webContents pair (no Electron binary here), with the real hostRouter on a real host (SQLite in a temp dir).
 */

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, what: string, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(5);
  }
}

let host: Host;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cc-ipc-'));
  host = await createHost({ dataDir });
});
afterAll(async () => {
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function connect<TRouter extends typeof hostRouter | typeof probeRouter>(routerUnderTest: TRouter) {
  const ipcMain = new FakeIpcMain();
  const page = new FakeWebContents();
  const untrusted: number[] = [];
  const adapter: IpcAdapter = createIpcAdapter({
    ipcMain,
    router: routerUnderTest,
    createContext: () => ({ host, transport: 'ipc' as const }),
    isTrustedSender: (event) => isFromOurMainFrame(event, page),
    onUntrustedMessage: (event) => untrusted.push(event.sender.id),
  });
  // The router is a union here (two routers share this helper), so the link is built untyped and narrowed.
  const link = ipcLink({ bridge: page.bridge(ipcMain) }) as unknown as TRPCLink<TRouter>;
  const client = createTRPCClient<TRouter>({ links: [link] });
  return { ipcMain, page, adapter, client, untrusted };
}

describe('the real hostRouter over IPC', () => {
  it('answers a query with the host behind it, and says the transport is ipc', async () => {
    const { client, adapter } = connect(hostRouter);
    await expect(client.system.info.query()).resolves.toEqual({
      version: HOST_VERSION,
      dataDir,
      transport: 'ipc',
    });
    adapter.close();
  });

  it('maps an unknown procedure to a TRPCClientError carrying the router error shape', async () => {
    const { client, adapter } = connect(hostRouter);
    const untyped = client as unknown as { system: { nope: { query(): Promise<unknown> } } };
    const error = await untyped.system.nope.query().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<typeof hostRouter>).data).toMatchObject({
      code: 'NOT_FOUND',
      path: 'system.nope',
    });
    adapter.close();
  });

  it('drops messages from an iframe or another window without answering', async () => {
    const { ipcMain, page, adapter, untrusted } = connect(hostRouter);
    const iframe = { url: 'app://studio/index.html', parent: page.mainFrame };
    page.bridge(ipcMain, iframe).send({ id: 1, method: 'query', path: 'system.info' });
    const stranger = new FakeWebContents();
    stranger.bridge(ipcMain).send({ id: 2, method: 'query', path: 'system.info' });
    const elsewhere = new FakeWebContents('https://evil.example/');
    const evilEvent = { sender: page, senderFrame: elsewhere.mainFrame };
    ipcMain.emit('studio:trpc', evilEvent, { id: 3, method: 'query', path: 'system.info' });
    await wait(50);
    expect([...untrusted].sort()).toEqual([page.id, page.id, stranger.id].sort());
    expect(page.sent).toEqual([]);
    expect(stranger.sent).toEqual([]);
    adapter.close();
  });

  it('answers a malformed request with BAD_REQUEST and calls nothing', async () => {
    const { ipcMain, page, adapter } = connect(hostRouter);
    const raw = page.bridge(ipcMain) as unknown as { send(message: unknown): void };
    raw.send({ id: 7, method: 'delete', path: '../../etc' });
    raw.send('not even an object');
    await until(() => page.sent.length === 2, 'two replies');
    expect(page.sent[0]).toMatchObject({ id: 7, error: { data: { code: 'BAD_REQUEST' } } });
    expect(page.sent[1]).toMatchObject({ id: null, error: { data: { code: 'BAD_REQUEST' } } });
    adapter.close();
  });
});

// A probe router built with the host's own tRPC instance (same error formatter), for the shapes the hostRouter
// does not have yet in every branch: a validated mutation, tracked and observable subscriptions, a slow query.
const probe = { cleanups: 0, release: () => {} };
const probeRouter = router({
  echo: publicProcedure
    .input(z.object({ text: z.string().min(1) }))
    .mutation(({ input, ctx }) => ({ text: input.text.toUpperCase(), transport: ctx.transport })),
  boom: publicProcedure.query(() => {
    throw new Error('kaboom');
  }),
  slow: publicProcedure.query(
    () => new Promise<string>((resolve) => (probe.release = () => resolve('late'))),
  ),
  count: publicProcedure.input(z.object({ to: z.number().int().max(10) })).subscription(async function* ({
    input,
  }) {
    for (let n = 1; n <= input.to; n++) yield tracked(String(n), { n });
  }),
  forever: publicProcedure.subscription(async function* ({ signal }) {
    try {
      let n = 0;
      while (!signal?.aborted) {
        n += 1;
        yield n;
        await wait(5);
      }
    } finally {
      probe.cleanups += 1;
    }
  }),
  ticks: publicProcedure.subscription(() =>
    observable<number>((emit) => {
      let n = 0;
      const timer = setInterval(() => emit.next(++n), 5);
      return () => {
        clearInterval(timer);
        probe.cleanups += 1;
      };
    }),
  ),
});

describe('procedures and subscriptions over IPC', () => {
  it('runs a mutation with validated input, and refuses bad input with BAD_REQUEST', async () => {
    const { client, adapter } = connect(probeRouter);
    await expect(client.echo.mutate({ text: 'salut' })).resolves.toEqual({ text: 'SALUT', transport: 'ipc' });
    const error = await client.echo.mutate({ text: '' }).catch((caught: unknown) => caught);
    expect((error as TRPCClientError<typeof probeRouter>).data?.code).toBe('BAD_REQUEST');
    adapter.close();
  });

  it('reports a thrown error as INTERNAL_SERVER_ERROR with its message', async () => {
    const { client, adapter } = connect(probeRouter);
    const error = (await client.boom.query().catch((caught: unknown) => caught)) as TRPCClientError<
      typeof probeRouter
    >;
    expect(error.message).toBe('kaboom');
    expect(error.data?.code).toBe('INTERNAL_SERVER_ERROR');
    adapter.close();
  });

  it('streams a tracked subscription (started, data with event ids, stopped) to completion', async () => {
    const { client, adapter, page } = connect(probeRouter);
    const seen: unknown[] = [];
    let started = false;
    await new Promise<void>((resolve, reject) => {
      client.count.subscribe(
        { to: 3 },
        {
          onStarted: () => (started = true),
          onData: (value) => seen.push(value),
          onError: reject,
          onComplete: resolve,
        },
      );
    });
    expect(started).toBe(true);
    expect(seen).toEqual([
      { id: '1', data: { n: 1 } },
      { id: '2', data: { n: 2 } },
      { id: '3', data: { n: 3 } },
    ]);
    expect(adapter.openSubscriptions(page.id)).toBe(0);
    adapter.close();
  });

  it('stops the procedure when the client unsubscribes', async () => {
    const { client, adapter, page } = connect(probeRouter);
    const before = probe.cleanups;
    const values: number[] = [];
    const subscription = client.forever.subscribe(undefined, { onData: (n) => values.push(n) });
    await until(() => values.length >= 3, 'three values');
    expect(adapter.openSubscriptions(page.id)).toBe(1);
    subscription.unsubscribe();
    await until(() => probe.cleanups === before + 1, 'the generator finally block');
    expect(adapter.openSubscriptions(page.id)).toBe(0);
    adapter.close();
  });

  it('stops every subscription of a window that closes, and sends nothing to it afterwards', async () => {
    const { client, adapter, page } = connect(probeRouter);
    const before = probe.cleanups;
    let ticks = 0;
    client.forever.subscribe(undefined, { onData: () => {} });
    client.ticks.subscribe(undefined, { onData: () => ticks++ });
    await until(() => ticks >= 2 && adapter.openSubscriptions(page.id) === 2, 'both subscriptions running');
    page.destroy(); // send() would throw from now on, as a destroyed webContents does
    await until(() => probe.cleanups === before + 2, 'both procedures cleaned up');
    expect(adapter.openSubscriptions(page.id)).toBe(0);
    adapter.close();
  });

  it('on reload, stops the old page subscriptions and drops replies meant for it', async () => {
    const { client, adapter, page } = connect(probeRouter);
    const before = probe.cleanups;
    const values: number[] = [];
    client.forever.subscribe(undefined, { onData: (n) => values.push(n) });
    const late = client.slow.query();
    await until(() => values.length >= 2, 'values before the reload');
    page.reload();
    await until(() => probe.cleanups === before + 1, 'the subscription stopped by the reload');
    const sentBefore = page.sent.length;
    probe.release(); // the old page's query answers now: nobody must get it
    await wait(30);
    expect(page.sent.length).toBe(sentBefore);
    expect(adapter.openSubscriptions(page.id)).toBe(0);
    void late.catch(() => undefined);
    adapter.close();
  });

  it('rejects a second subscription with an id already streaming', async () => {
    const { ipcMain, page, adapter } = connect(probeRouter);
    const raw = page.bridge(ipcMain);
    raw.send({ id: 42, method: 'subscription', path: 'forever' });
    await until(() => adapter.openSubscriptions(page.id) === 1, 'first subscription');
    raw.send({ id: 42, method: 'subscription', path: 'forever' });
    await until(() => page.sent.some((reply) => 'error' in reply), 'duplicate refused');
    expect(page.sent.find((reply) => 'error' in reply)).toMatchObject({
      id: 42,
      error: { data: { code: 'BAD_REQUEST' } },
    });
    raw.send({ id: 42, method: 'subscription.stop' });
    await until(() => adapter.openSubscriptions(page.id) === 0, 'stopped');
    adapter.close();
  });
});
