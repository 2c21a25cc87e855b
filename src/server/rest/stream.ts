import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { RestResult } from './routes';

/**
 * Writes a streamed answer with backpressure: the next chunk is produced only once the socket took the last
 * one, so a slow client holds one chunk in the server's memory, not the whole answer. A client that goes away
 * stops the producer (its `return()` runs, which ends the database reads behind it).
 */
export async function sendStream(res: ServerResponse, result: RestResult): Promise<void> {
  res.writeHead(result.status, {
    'content-type': result.contentType ?? 'application/json',
    ...result.headers,
  });
  for await (const chunk of result.stream!) {
    if (res.destroyed) break;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}
