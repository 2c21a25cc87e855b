import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The upload baseline: bare node:http streaming a PUT body to a file in BASELINE_DIR, nothing checked. */
const dir = process.env.BASELINE_DIR ?? '.';
const server = createServer((req, res) => {
  pipeline(req, createWriteStream(join(dir, 'upload.bin'))).then(
    () => res.writeHead(201).end(),
    () => res.writeHead(500).end(),
  );
});
server.listen(0, '127.0.0.1', () => {
  console.info(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
