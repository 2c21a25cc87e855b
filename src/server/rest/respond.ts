import type { ServerResponse } from 'node:http';
import { HTTP_STATUS_BY_CODE } from '../../shared/errors';
import type { Refusal } from '../domain/refusal';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** A body that is not JSON (a CSV export), sent as is. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * An error body as CommuniConnect's backend gives it: its views answer `{error}`, DRF's own checks `{detail}`;
 * clients read one or the other, so both carry the same sentence.
 */
export function errorBody(message: string, extra: Record<string, unknown> = {}) {
  return { error: message, detail: message, ...extra };
}

/** A refusal as the backend answers it: `{error, detail, errors?}` with the design's status, Retry-After when it applies. */
export function sendRefusal(res: ServerResponse, refusal: Refusal) {
  const headers: Record<string, string> = {};
  const retry = refusal.details.retryAfterSeconds;
  if (retry) headers['retry-after'] = String(retry);
  if (refusal.code === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
  sendJson(
    res,
    HTTP_STATUS_BY_CODE[refusal.code],
    errorBody(refusal.message, refusal.details.errors ? { errors: refusal.details.errors } : {}),
    headers,
  );
}
