import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { SyncTarget } from '../sync/engine';

/** The small pieces every call of src/host/server-copy to the chat server shares. */

export const serverBase = (target: SyncTarget) => target.url.replace(/\/+$/, '');

/** The server's own words for a refusal (`{error}` or `{detail}`), else what failed. */
export function serverMessage(body: string | undefined, fallback?: Error): string {
  try {
    const parsed = JSON.parse(body ?? '') as { error?: string; detail?: string };
    return parsed.error ?? parsed.detail ?? fallback?.message ?? 'refused by the server';
  } catch {
    return body?.trim() || fallback?.message || 'refused by the server';
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
