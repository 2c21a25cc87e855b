import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostDatabase, openHostDatabase } from '../db/open';
import { parseRange, serveRecording } from './http-route';
import { createRecordingService, type RecordingService } from './recording-service';

describe('parseRange', () => {
  it('reads the forms media elements send and refuses the rest', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('invalid');
    expect(parseRange('bytes=5-1', 100)).toBe('invalid');
    expect(parseRange('bytes=0-1,5-6', 100)).toBe('invalid');
    expect(parseRange('items=0-1', 100)).toBe('invalid');
  });
});

describe('GET /recordings/<id>', () => {
  const FIXTURES = fileURLToPath(new URL('./fixtures/chromium-vp9', import.meta.url));
  let dir: string;
  let database: HostDatabase;
  let service: RecordingService;
  let server: Server;
  let base: string;
  let id: string;
  let bytes: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-route-'));
    database = openHostDatabase(dir);
    service = createRecordingService({ database, directory: join(dir, 'recordings') });
    ({ id } = await service.start({ mime: 'video/webm;codecs=vp9,opus' }));
    const names = readdirSync(FIXTURES).sort().slice(0, 3);
    for (const [seq, name] of names.entries())
      await service.chunk(id, seq, readFileSync(join(FIXTURES, name)));
    await service.stop(id, 2);
    await service.whenFinalized(id);
    bytes = readFileSync(service.fileFor(id)!.path);
    server = createServer((req, res) => {
      if (!serveRecording(req, res, service, (token) => token === 'secret')) res.writeHead(418).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    await service.close();
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the whole file with the token, as a download when asked', async () => {
    const response = await fetch(`${base}/recordings/${id}?token=secret&download=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/webm');
    expect(response.headers.get('content-disposition')).toContain(`recording-${id}.webm`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('serves a byte range so that a <video> can seek', async () => {
    const response = await fetch(`${base}/recordings/${id}?token=secret`, {
      headers: { range: 'bytes=100-199' },
    });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(100, 200));
    const beyond = await fetch(`${base}/recordings/${id}?token=secret`, {
      headers: { range: `bytes=${bytes.length}-` },
    });
    expect(beyond.status).toBe(416);
  });

  it('refuses without the token, and knows only finished recordings by id', async () => {
    expect((await fetch(`${base}/recordings/${id}`)).status).toBe(401);
    expect((await fetch(`${base}/recordings/${id}?token=nope`)).status).toBe(401);
    expect((await fetch(`${base}/recordings/00000000-0000-0000-0000-000000000000?token=secret`)).status).toBe(
      404,
    );
    expect((await fetch(`${base}/recordings/..%2Fstudio.sqlite?token=secret`)).status).toBe(404);
    expect((await fetch(`${base}/other?token=secret`)).status).toBe(418);
  });
});
