import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES } from '../../shared/limits';
import { refuse, Refusal } from '../domain/refusal';

/** A body too large for us: answered 413 (the one status REST uses outside the refusal table). */
export class BodyTooLarge extends Error {}

/**
 * Reads a JSON object body, refusing (before any write happens) a wrong content type, a body over the limit,
 * malformed JSON and anything that is not an object. An oversized body is read to its end and dropped, so the
 * client gets its 413 instead of a reset connection.
 */
export async function readJsonObject(
  req: IncomingMessage,
  maxBytes = MAX_BODY_BYTES,
): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (size > maxBytes) throw new BodyTooLarge(`Request body is larger than ${maxBytes} bytes.`);
  if (type !== 'application/json')
    throw new Refusal(
      'invalid_input',
      `Unsupported media type "${type || 'none'}" in request: send application/json.`,
      {
        errors: { non_field_errors: ['Content-Type must be application/json.'] },
      },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    refuse('invalid_input', `JSON parse error - ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    refuse('invalid_input', 'Invalid data. Expected a JSON object.');
  return parsed as Record<string, unknown>;
}
