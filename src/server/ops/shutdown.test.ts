import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { silentLogger } from './logger';
import { createGracefulShutdown, drainWebSockets, stopHttpServer } from './shutdown';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createGracefulShutdown', () => {
  it('runs the steps in order, once, and exits 0 when all succeed', async () => {
    const order: string[] = [];
    const exits: number[] = [];
    const graceful = createGracefulShutdown({
      logger: silentLogger(),
      timeoutMs: 1000,
      exit: (code) => exits.push(code),
      steps: [
        { name: 'a', run: () => void order.push('a') },
        {
          name: 'b',
          run: async () => {
            await sleep(20);
            order.push('b');
          },
        },
        { name: 'c', run: () => void order.push('c') },
      ],
    });
    const [first, second] = await Promise.all([graceful.shutdown('test'), graceful.shutdown('again')]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(first).toBe(second);
    expect(first).toMatchObject({ clean: true, timedOut: false, failed: [] });
    expect(exits).toEqual([0]);
  });

  it('keeps going after a failed step and exits 1, naming it', async () => {
    const order: string[] = [];
    const exits: number[] = [];
    const outcome = await createGracefulShutdown({
      logger: silentLogger(),
      timeoutMs: 1000,
      exit: (code) => exits.push(code),
      steps: [
        {
          name: 'broken',
          run: () => {
            throw new Error('nope');
          },
        },
        { name: 'close pool', run: () => void order.push('close pool') },
      ],
    }).shutdown('test');
    expect(order).toEqual(['close pool']);
    expect(outcome).toMatchObject({ clean: false, failed: ['broken'] });
    expect(exits).toEqual([1]);
  });

  it('is bounded: a hanging step cannot hold the process past the deadline', async () => {
    const exits: number[] = [];
    const started = Date.now();
    const outcome = await createGracefulShutdown({
      logger: silentLogger(),
      timeoutMs: 300,
      exit: (code) => exits.push(code),
      steps: [{ name: 'hangs', run: () => new Promise(() => {}) }],
    }).shutdown('test');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome.timedOut).toBe(true);
    expect(exits).toEqual([1]);
  });

  it('reacts to a real SIGTERM sent to the process', async () => {
    const exits: number[] = [];
    const graceful = createGracefulShutdown({
      logger: silentLogger(),
      timeoutMs: 1000,
      exit: (code) => exits.push(code),
      steps: [],
    });
    const uninstall = graceful.install(['SIGUSR2']);
    process.kill(process.pid, 'SIGUSR2');
    await sleep(100);
    uninstall();
    expect(exits).toEqual([0]);
  });
});

describe('stopHttpServer and drainWebSockets', () => {
  it('lets an in-flight request finish, refuses new connections, and ends WebSockets with a reconnect', async () => {
    let releaseSlow!: () => void;
    const server = createServer((req, res) => {
      if (req.url === '/slow') {
        releaseSlow = () => res.end('finished');
        return;
      }
      res.end('ok');
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws)),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const socket = new WebSocket(base.replace('http', 'ws'));
    await new Promise((resolve) => socket.once('open', resolve));
    const notices: string[] = [];
    socket.on('message', (data) => notices.push(String(data)));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

    const slow = fetch(`${base}/slow`).then((response) => response.text());
    await sleep(50);
    const stopped = stopHttpServer(server);
    await expect(fetch(`${base}/fast`)).rejects.toThrow();

    await drainWebSockets(wss, {
      notify: () => {
        for (const client of wss.clients) client.send('reconnect');
      },
      graceMs: 100,
    });
    expect(await closed).toBe(1012);
    expect(notices).toEqual(['reconnect']);

    releaseSlow();
    expect(await slow).toBe('finished');
    await stopped;
    expect(server.listening).toBe(false);
  });
});
