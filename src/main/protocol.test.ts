import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppRequestHandler, parseRange } from './protocol';

/** The app:// handler on real files in a temp dir: what it serves, and every way out of its folders it refuses. */
let root: string;
let handle: (request: Request) => Promise<Response>;
let recordingsDir: string;
const ID = '6f1c2a9e-8d7b-4c3a-9e1f-0a1b2c3d4e5f';
const SNEAKY = '00000000-0000-4000-8000-000000000000';
const MOVED = '11111111-1111-4111-8111-111111111111';
/** Stands in for the host's RecordingService.fileFor: ids it knows, and one whose file lies outside the folder. */
const known: Record<string, { path: string; mime: string }> = {};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cc-protocol-'));
  const renderer = join(root, 'renderer');
  recordingsDir = join(root, 'recordings');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  mkdirSync(recordingsDir);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>CommuniConnect Studio</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'not for the page');
  writeFileSync(join(recordingsDir, `${ID}.webm`), Buffer.from('0123456789'));
  symlinkSync(join(root, 'secret.txt'), join(renderer, 'assets', 'link.js'));
  symlinkSync(join(root, 'secret.txt'), join(recordingsDir, 'sneaky.webm'));
  known[ID] = { path: join(recordingsDir, `${ID}.webm`), mime: 'video/webm' };
  known[SNEAKY] = { path: join(recordingsDir, 'sneaky.webm'), mime: 'video/webm' };
  handle = createAppRequestHandler({
    rendererDir: renderer,
    recordings: { directory: () => recordingsDir, fileFor: (id) => known[id] ?? null },
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, init?: RequestInit) => handle(new Request(url, init));

describe('app:// protocol', () => {
  it('serves the renderer build with its type, nosniff and the CSP', async () => {
    const index = await get('app://studio/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await index.text()).toContain('CommuniConnect Studio');
    const script = await get('app://studio/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('gives client-side routes the app, and a missing asset a 404', async () => {
    expect(await (await get('app://studio/library')).text()).toContain('<title>');
    expect((await get('app://studio/assets/missing.js')).status).toBe(404);
  });

  it('refuses every escape: encoded dots, backslashes, NUL, symlinks out, other hosts, writes', async () => {
    for (const url of [
      'app://studio/..%2fsecret.txt',
      'app://studio/assets/..%2f..%2fsecret.txt',
      'app://studio/..%5csecret.txt',
      'app://studio/assets/link.js',
      'app://studio/recordings/..%2f..%2fsecret.txt',
      'app://studio/recordings/sneaky.webm', // a file name is not an id
      `app://studio/recordings/${SNEAKY}.webm`, // a known id whose file is a symlink out of the folder
      'app://studio/recordings/',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('not for the page');
    }
    expect((await get('app://studio/index.html%00.js')).status).toBe(400);
    expect((await get('app://studio/%E0%A4%A')).status).toBe(400);
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://studio/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('serves a finished recording by id (as browser mode links it), with byte ranges for seeking', async () => {
    const whole = await get(`app://studio/recordings/${ID}?token=ignored&download=1`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/webm');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(await whole.text()).toBe('0123456789');

    const part = await get(`app://studio/recordings/${ID}.webm`, { headers: { range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(part.headers.get('content-length')).toBe('4');
    expect(await part.text()).toBe('2345');

    const tail = await get(`app://studio/recordings/${ID}`, { headers: { range: 'bytes=-3' } });
    expect(await tail.text()).toBe('789');
    const beyond = await get(`app://studio/recordings/${ID}`, { headers: { range: 'bytes=50-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */10');
    // Unknown ids are 404, and recordings are not reachable under the renderer's path.
    expect((await get('app://studio/recordings/22222222-2222-4222-8222-222222222222')).status).toBe(404);
    expect((await get(`app://studio/${ID}.webm`)).status).toBe(404);
  });

  it('follows the recordings folder when the setting changes', async () => {
    const moved = join(root, 'moved');
    mkdirSync(moved);
    writeFileSync(join(moved, `${MOVED}.mp4`), 'mp4');
    known[MOVED] = { path: join(moved, `${MOVED}.mp4`), mime: 'video/mp4' };
    expect((await get(`app://studio/recordings/${MOVED}`)).status).toBe(404); // not in the folder (yet)
    const before = recordingsDir;
    recordingsDir = moved;
    try {
      expect((await get(`app://studio/recordings/${MOVED}`)).headers.get('content-type')).toBe('video/mp4');
      expect((await get(`app://studio/recordings/${ID}`)).status).toBe(404);
    } finally {
      recordingsDir = before;
    }
  });

  it('parses single byte ranges and ignores what it cannot serve as one', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=8-', 10)).toEqual({ start: 8, end: 9 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=6-2', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,4-5', 10)).toBeNull();
    expect(parseRange('items=0-1', 10)).toBeNull();
    expect(parseRange(null, 10)).toBeNull();
  });
});
