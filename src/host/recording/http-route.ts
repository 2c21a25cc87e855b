import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordingService } from './recording-service';

const ROUTE = /^\/recordings\/([0-9a-f-]{36})(?:\.[a-z0-9]+)?$/;

/**
 * Browser mode's way to a recording's bytes: `GET /recordings/<id>?token=<launch token>[&download=1]`.
 * The id must be a recording the service knows and has finished (a path is never taken from the URL), and Range
 * requests are honoured so that a `<video>` can seek without fetching the whole file.
 * Returns false when the URL is not ours, so the caller serves it otherwise.
 */
export function serveRecording(
  req: IncomingMessage,
  res: ServerResponse,
  recordings: RecordingService,
  tokenIsValid: (token: string | null) => boolean,
): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith('/recordings/')) return false;
  const send = (status: number, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(message);
  };
  if (!tokenIsValid(url.searchParams.get('token'))) {
    send(401, 'A valid launch token is required.');
    return true;
  }
  const id = ROUTE.exec(url.pathname)?.[1];
  const file = id ? recordings.fileFor(id) : null;
  if (!id || !file) {
    send(404, 'No finished recording with this id.');
    return true;
  }

  const size = statSync(file.path).size;
  const headers: Record<string, string> = {
    'content-type': file.mime,
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (url.searchParams.get('download') === '1') {
    headers['content-disposition'] = `attachment; filename="recording-${id}.${file.path.split('.').pop()}"`;
  }

  const range = parseRange(req.headers.range, size);
  if (range === 'invalid') {
    send(416, 'Range not satisfiable.', { 'content-range': `bytes */${size}` });
    return true;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': String(Math.max(0, end - start + 1)),
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return true;
  }
  createReadStream(file.path, { start, end }).pipe(res);
  return true;
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range (what media elements send); multi-range is not offered. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}
