import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/** The fan-out baseline: a raw `ws` server broadcasting each POSTed body, serialised once, to every client. */
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const payload = Buffer.concat(chunks).toString('utf8');
    for (const client of wss.clients) client.send(payload);
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
const wss = new WebSocketServer({ server });
server.listen(0, '127.0.0.1', () => {
  console.info(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
});
process.once('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
});
