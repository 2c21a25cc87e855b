import { createServer } from 'node:http';

/** The trivial-query baseline: bare node:http answering the same JSON a tRPC `time` query returns. */
const server = createServer((_req, res) => {
  const body = JSON.stringify({ result: { data: { epochMs: Date.now() } } });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  console.info(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
