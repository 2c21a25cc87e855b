import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenFromAuthorization } from '../auth/tokens';
import type { DomainEnv } from '../domain/env';
import { Refusal } from '../domain/refusal';
import { authenticate } from '../domain/users';
import { BodyTooLarge, readJsonObject } from './body';
import { errorBody, sendJson, sendRefusal, sendText } from './respond';
import { sendStream } from './stream';
import { REST_ROUTES, type RestRequest } from './routes';

function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    return new URL(req.url ?? '/', 'http://localhost');
  }
}

/** The first route of this method whose pattern matches: the common case stops there, without a list. */
function findRoute(method: string | undefined, pathname: string) {
  for (const route of REST_ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (match) return { route, match };
  }
  return undefined;
}

/** Resolves the route, the caller and the ids, then runs the handler; every refusal becomes its 4xx. */
export function createRestHandler(env: DomainEnv) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req);
    try {
      const found = findRoute(req.method, url.pathname);
      if (!found) {
        const allow = REST_ROUTES.filter((route) => route.pattern.test(url.pathname)).map((r) => r.method);
        if (allow.length === 0) return sendJson(res, 404, errorBody('Not found.'));
        return sendJson(res, 405, errorBody(`Method "${req.method}" not allowed.`), {
          allow: allow.join(', '),
        });
      }
      const ids = found.match.slice(1).map((raw) => (/^\d{1,15}$/.test(raw!) ? Number(raw) : Number.NaN));
      if (ids.some((id) => !Number.isSafeInteger(id) || id < 1))
        return sendJson(res, 404, errorBody('Not found.'));
      let actor = null;
      if (!found.route.anonymous) {
        const token = tokenFromAuthorization(req.headers.authorization);
        if (!token) throw new Refusal('unauthenticated', 'Authentication credentials were not provided.');
        actor = await authenticate(env, token);
        if (!actor) throw new Refusal('unauthenticated', 'Invalid token.');
      }
      const hasBody =
        Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      const request: RestRequest = {
        env,
        actor,
        url,
        ids,
        readBody: (maxBytes) => readJsonObject(req, maxBytes),
        hasBody,
        req,
        token: tokenFromAuthorization(req.headers.authorization),
      };
      const result = await found.route.handle(request);
      if (result.status === 204 || result.status === 304) {
        res.writeHead(result.status, result.headers ?? {});
        return res.end();
      }
      if (result.stream) return await sendStream(res, result);
      if (result.contentType)
        return sendText(res, result.status, String(result.body), result.contentType, result.headers);
      return sendJson(res, result.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof Refusal) return sendRefusal(res, error);
      if (error instanceof BodyTooLarge) return sendJson(res, 413, errorBody(error.message));
      // A stream that failed half-way cannot change its status any more: the connection is cut instead, so
      // the client sees a truncated answer (an error), never a short array that looks complete.
      if (res.headersSent) return void res.destroy(error as Error);
      throw error;
    } finally {
      // A body we refused before reading (401, 404…) is drained, so the client gets the answer, not a reset.
      if (!req.readableEnded) req.resume();
    }
  };
}
