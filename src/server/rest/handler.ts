import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DomainEnv } from '../domain/env';
import { sendJson } from './respond';

/** The seed-compatible REST API (design §4). */
export function createRestHandler(_env: DomainEnv) {
  return async (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 404, { detail: 'Not found.' });
}
