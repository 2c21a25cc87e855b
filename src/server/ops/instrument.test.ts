import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { attachOps, type Lifecycle } from './instrument';
import { createServerLogger, loggerFor } from './logger';
import { createServerMetrics, routeLabel } from './metrics';

/** A real HTTP server wired with attachOps; log lines are captured as parsed JSON. */
async function startInstrumented() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createServerLogger({ level: 'debug', nodeId: 'node-test', destination });
  const metrics = createServerMetrics({ processMetrics: false });
  const lifecycle: Lifecycle = { draining: false };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/ready') return res.end('{"status":"ready"}');
    if (path === '/boom') {
      res.writeHead(500);
      return res.end();
    }
    loggerFor(req, logger).info({ from: 'route' }, 'inside the route');
    res.writeHead(path?.startsWith('/api/') ? 201 : 404);
    res.end('{}');
  });
  attachOps(server, { logger, metrics, lifecycle });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, base, lines, metrics, lifecycle };
}

let running: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => running?.close(resolve) ?? resolve(undefined));
  running = undefined;
});

describe('attachOps on a real HTTP server', () => {
  it('gives each request an id, echoes a sane proxy id, and logs one line per response with it', async () => {
    const { server, base, lines } = await startInstrumented();
    running = server;
    const generated = await fetch(`${base}/api/posts/live/12/chat/`, { method: 'POST' });
    expect(generated.status).toBe(201);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const proxied = await fetch(`${base}/api/x`, { headers: { 'x-request-id': 'nginx-abc123' } });
    expect(proxied.headers.get('x-request-id')).toBe('nginx-abc123');
    const hostile = await fetch(`${base}/api/x`, { headers: { 'x-request-id': 'a b <script>' } });
    expect(hostile.headers.get('x-request-id')).not.toContain('script');

    await new Promise((resolve) => setTimeout(resolve, 50));
    const requestLines = lines.filter((line) => line.msg === 'request');
    expect(requestLines[0]).toMatchObject({
      node: 'node-test',
      method: 'POST',
      route: '/api/posts/live/:id/chat/',
      status: '201',
      reqId: generated.headers.get('x-request-id'),
    });
    const routeLine = lines.find((line) => line.msg === 'inside the route' && line.reqId === 'nginx-abc123');
    expect(routeLine).toBeDefined();
  });

  it('serves Prometheus metrics that count requests by route and status', async () => {
    const { server, base, metrics } = await startInstrumented();
    running = server;
    for (const id of [1, 2, 3]) await fetch(`${base}/api/posts/live/${id}/chat/`, { method: 'POST' });
    await fetch(`${base}/boom`);
    metrics.recordSend({ accepted: true });
    metrics.recordSend({ accepted: false, reason: 'slow_mode' });
    metrics.observePool({ totalCount: 7, idleCount: 5, waitingCount: 1 });
    metrics.observeSubscriptions(() => 20);
    metrics.recordNotifyLag(Date.now() - 30);

    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain(
      'http_requests_total{method="POST",route="/api/posts/live/:id/chat/",status="201"} 3',
    );
    expect(text).toContain('http_requests_total{method="GET",route="(unmatched)",status="500"} 1');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/posts\/live\/:id\/chat\/"\} 3/,
    );
    expect(text).toContain('chat_messages_accepted_total 1');
    expect(text).toContain('chat_messages_rejected_total{reason="slow_mode"} 1');
    expect(text).toContain('db_pool_connections{state="idle"} 5');
    expect(text).toContain('db_pool_connections{state="waiting"} 1');
    expect(text).toContain('chat_open_subscriptions 20');
    expect(text).toContain('chat_notify_lag_seconds_count 1');
    expect(text).toMatch(/chat_notify_lag_seconds_bucket\{le="0.025"\} 0/);
    expect(text).toMatch(/chat_notify_lag_seconds_bucket\{le="0.05"\} 1/);
  });

  it('while draining: /ready answers 503 and responses ask to close the connection', async () => {
    const { server, base, lifecycle } = await startInstrumented();
    running = server;
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    lifecycle.draining = true;
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });
    const other = await fetch(`${base}/api/x`);
    expect(other.headers.get('connection')).toBe('close');
  });
});

describe('readiness', () => {
  it('answers 503 with the reason while a readiness condition fails, then passes /ready to the server', async () => {
    let problem: string | null = 'migrations pending: 0 of 1 applied';
    const server = createServer((_req, res) => res.end('{"status":"ready"}'));
    const lifecycle: Lifecycle = { draining: false };
    attachOps(server, {
      logger: createServerLogger({ level: 'silent' }),
      metrics: createServerMetrics({ processMetrics: false }),
      lifecycle,
      readiness: async () => problem,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    running = server;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pending = await fetch(`${base}/ready`);
    expect(pending.status).toBe(503);
    expect(await pending.json()).toEqual({
      status: 'unavailable',
      detail: 'migrations pending: 0 of 1 applied',
    });
    problem = null;
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect((await fetch(`${base}/health`)).status).toBe(200); // liveness never waits on readiness
  });
});

describe('routeLabel', () => {
  it.each([
    ['/api/posts/live/123/chat/messages/?page=2', '/api/posts/live/:id/chat/messages/'],
    ['/trpc/chat.send', '/trpc/chat.send'],
    ['/trpc/chat.send,auth.me,chat.send?batch=1', '/trpc/auth.me,chat.send'],
    ['/trpc/a,b,c,d', '/trpc/(batch)'],
    ['/wp-admin/setup.php', '(unmatched)'],
    ['/health', '/health'],
    [undefined, '(unmatched)'],
  ])('%s → %s', (url, label) => {
    expect(routeLabel(url)).toBe(label);
  });
});
