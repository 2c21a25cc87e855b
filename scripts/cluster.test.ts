import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { findNginx, type RunningNginx, renderSite, startNginx } from './cluster';
import { NGINX_NEEDS, requireFacility } from '../src/server/testing/requirements';

const site = readFileSync(fileURLToPath(new URL('../deploy/nginx.conf', import.meta.url)), 'utf8');

describe('renderSite', () => {
  it('replaces only the upstream servers and the listen line of deploy/nginx.conf', () => {
    const rendered = renderSite(site, 9999, [5001, 5002]);
    expect(rendered).toContain('    server 127.0.0.1:5001 max_fails=1 fail_timeout=2s;\n');
    expect(rendered).toContain('    server 127.0.0.1:5002 max_fails=1 fail_timeout=2s;\n');
    expect(rendered).not.toContain('4001');
    expect(rendered).toContain('    listen 127.0.0.1:9999;\n');
    expect(rendered).not.toContain('8080');
    expect(rendered).toContain('least_conn;');
  });

  it('says so when the markers were edited away', () => {
    expect(() => renderSite(site.replace('# cluster:upstream-begin', ''), 1, [2])).toThrow(/markers/);
  });
});

/** A stand-in upstream: real HTTP + WebSocket servers that say which one answered. */
async function upstream(name: string) {
  const seen: { requestId: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ requestId: req.headers['x-request-id'] as string | undefined });
    // As the real nodes do (src/server/ops/instrument.ts): echo the proxy's request id.
    res.setHeader('x-request-id', String(req.headers['x-request-id']));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ name, path: req.url }));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.send(`hello from ${name}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, wss, seen, port: (server.address() as AddressInfo).port };
}

describe('deploy/nginx.conf with a real nginx', () => {
  let nginx: RunningNginx;
  let a: Awaited<ReturnType<typeof upstream>>;
  let b: Awaited<ReturnType<typeof upstream>>;
  beforeAll(async () => {
    requireFacility(findNginx(), NGINX_NEEDS);
    a = await upstream('a');
    b = await upstream('b');
    nginx = await startNginx([a.port, b.port]);
  });
  afterAll(async () => {
    await nginx?.stop();
    for (const node of [a, b]) {
      node?.wss.close();
      node?.server.closeAllConnections();
      node?.server.close();
    }
  });

  it('balances HTTP over both nodes and passes one request id through', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${nginx.url}/api/posts/live/`);
      const body = (await response.json()) as { name: string };
      names.add(body.name);
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(names).toEqual(new Set(['a', 'b']));
    expect([...a.seen, ...b.seen].every((r) => /^[0-9a-f]{32}$/.test(r.requestId ?? ''))).toBe(true);
  });

  it('upgrades WebSockets on /trpc and spreads them (least connections)', async () => {
    const sockets = [0, 1, 2, 3].map(() => new WebSocket(`${nginx.url.replace('http', 'ws')}/trpc`));
    const greetings = await Promise.all(
      sockets.map(
        (socket) => new Promise<string>((resolve) => socket.once('message', (d) => resolve(String(d)))),
      ),
    );
    // least_conn: with 4 sockets opened together, each node ends up holding some of them.
    expect(greetings.filter((g) => g === 'hello from a').length).toBeGreaterThanOrEqual(1);
    expect(greetings.filter((g) => g === 'hello from b').length).toBeGreaterThanOrEqual(1);
    for (const socket of sockets) socket.close();
  });

  it('hides /metrics from the outside (scraped per node)', async () => {
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
  });

  it('skips a node that stopped listening', async () => {
    b.wss.close();
    b.server.closeAllConnections();
    await new Promise((resolve) => b.server.close(resolve));
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${nginx.url}/health`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { name: string }).name).toBe('a');
    }
  });
});
