import type { IncomingMessage } from 'node:http';
import type { Message, RestMessage } from '../../shared/wire';
import type { Actor, DomainEnv } from '../domain/env';
import { AUTH_ROUTES } from './auth-routes';
import { CHAT_ROUTES } from './chat-routes';
import { LIVE_ROUTES } from './live-routes';
import { MODERATION_ROUTES } from './moderation-routes';
import { RECORDING_ROUTES } from './recording-routes';
import { UPLOAD_ROUTES } from './upload-routes';

export type RestRequest = {
  env: DomainEnv;
  /** Null only on the routes that do not require a sign-in. */
  actor: Actor | null;
  url: URL;
  /** Path parameters, numeric (non-numeric ids never reach a handler: 404). */
  ids: number[];
  /** The JSON body, up to the usual limit (MAX_BODY_BYTES) unless the route allows more. */
  readBody: (maxBytes?: number) => Promise<Record<string, unknown>>;
  /** The request announced a body (content-length or chunked): optional bodies are read only then. */
  hasBody: boolean;
  /** The raw request, for bodies that are not JSON (the multipart video upload). */
  req: IncomingMessage;
  /** The caller's access token (logout revokes it). */
  token: string | null;
};

/**
 * JSON unless `contentType` says otherwise (then `body` is the text to send as is); 204 sends nothing. A
 * `stream` is written chunk by chunk as the client reads it (a history of 100,000 messages, a video file).
 */
export type RestResult = {
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  stream?: AsyncIterable<string | Buffer>;
};

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  /** Routes that anyone may call (sign-up, sign-in). */
  anonymous?: boolean;
  handle: (request: RestRequest) => Promise<RestResult>;
};

export function toRestMessage(message: Message): RestMessage {
  const { id, content, timestamp, author, type, reply_to, reactions } = message;
  return { id, content, timestamp, author, type, reply_to, reactions };
}

/** CommuniConnect's routes and our first ones (design §4), trailing slashes included; one file per area. */
export const REST_ROUTES: Route[] = [
  ...AUTH_ROUTES,
  ...LIVE_ROUTES,
  ...CHAT_ROUTES,
  ...UPLOAD_ROUTES,
  ...RECORDING_ROUTES,
  ...MODERATION_ROUTES,
];
