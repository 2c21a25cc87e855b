import { createReadStream, existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Builds the harness page (production mode, minified, like the app) and serves it on loopback. */
export async function serveHarness(): Promise<{ url: string; close(): Promise<void> }> {
  const root = fileURLToPath(new URL('./harness', import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), 'cc-renderer-bench-'));
  await build({
    root,
    logLevel: 'warn',
    plugins: [react()],
    // BENCH_NO_MINIFY=1 keeps function names readable in a CPU profile.
    build: { outDir, emptyOutDir: true, minify: !process.env.BENCH_NO_MINIFY },
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(outDir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(outDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
