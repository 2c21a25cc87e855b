import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { APP_HOST, APP_SCHEME, RECORDINGS_PATH_PREFIX } from './app-origin';
import { CONTENT_SECURITY_POLICY } from './csp';

/**
 * The app:// protocol: our renderer build, and the recordings, nothing else. Every path is resolved and checked
 * to stay inside its folder (symlinks included), so `app://studio/../../etc/passwd` or an encoded `%2e%2e` gets a
 * 404. Plain Node (web Request/Response), so tests call the handler directly with real files.
 */

/** Registered before `app.ready`: a standard, secure origin (so CSP 'self', fetch and media work) and streaming. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
} as const;

export type AppProtocolFolders = {
  rendererDir: string;
  recordings: {
    /** A getter: the recordings folder is a setting and may change while the app runs. */
    directory: () => string;
    /** The host's lookup (RecordingService.fileFor): a finished recording's file by id, else null. */
    fileFor: (id: string) => { path: string; mime: string } | null;
  };
};

/** `/recordings/<uuid>[.ext]`, as the renderer links a recording in browser mode too (src/host/recording/http-route.ts). */
const RECORDING_ROUTE = /^([0-9a-f-]{36})(?:\.[a-z0-9]+)?$/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const BASE_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

export function createAppRequestHandler(
  folders: AppProtocolFolders,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'Not found');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return plain(400, 'Bad path');
    }
    if (pathname.includes('\0')) return plain(400, 'Bad path');

    if (pathname.startsWith(RECORDINGS_PATH_PREFIX)) {
      // By id only (a path is never taken from the URL), and the host's answer must still lie in the folder.
      const id = RECORDING_ROUTE.exec(pathname.slice(RECORDINGS_PATH_PREFIX.length))?.[1];
      const known = id ? folders.recordings.fileFor(id) : null;
      const directory = folders.recordings.directory();
      const file = known
        ? await fileInside(directory, relative(resolve(directory), resolve(known.path)))
        : null;
      return known && file ? serveFile(request, file, known.mime) : plain(404, 'Not found');
    }
    const wanted = pathname === '/' ? 'index.html' : pathname.slice(1);
    const file = await fileInside(folders.rendererDir, wanted);
    if (file) return serveFile(request, file, null);
    // A client-side route (no extension) gets the app; a missing asset is a plain 404.
    if (extname(wanted) === '') {
      const index = await fileInside(folders.rendererDir, 'index.html');
      if (index) return serveFile(request, index, null);
    }
    return plain(404, 'Not found');
  };
}

/** The real path of `relativePath` under `baseDir` if it is a file there, else null (escapes, symlinks out, folders). */
export async function fileInside(baseDir: string, relativePath: string): Promise<string | null> {
  if (relativePath === '') return null;
  try {
    const base = await realpath(resolve(baseDir));
    const candidate = resolve(base, `.${sep}${relativePath}`);
    if (!candidate.startsWith(base + sep)) return null;
    const real = await realpath(candidate);
    if (!real.startsWith(base + sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** `media`: the recording's type (ranges on, for seeking), or null for a file of the renderer build. */
async function serveFile(request: Request, file: string, media: string | null): Promise<Response> {
  const { size } = await stat(file);
  const allowRanges = media !== null;
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    'content-type': media ?? CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  };
  if (allowRanges) headers['accept-ranges'] = 'bytes';
  const range = allowRanges ? parseRange(request.headers.get('range'), size) : null;
  if (range === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  headers['content-length'] = String(size === 0 ? 0 : end - start + 1);
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  const body =
    request.method === 'HEAD' || size === 0
      ? null
      : (Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}

/** One `bytes=a-b` range (what <video> sends when seeking); multi-ranges are served whole. */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
  });
}
