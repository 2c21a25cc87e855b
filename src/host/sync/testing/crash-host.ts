/**
 * A host that dies (SIGKILL, by the engine's test seam STUDIO_TEST_KILL_AFTER_PUSH=1) right after the server
 * accepted its push and before it wrote the ack. Run by crash.test.ts as a child process:
 *   node --import tsx crash-host.ts <dataDir> <serverUrl> <liveId> <content>
 * It prints the queued message's client_id, then waits to be killed by its own engine.
 */
import { createHost } from '../../host';
import { hostRouter } from '../../routers/index';

const [dataDir, serverUrl, liveId, content] = process.argv.slice(2);
if (!dataDir || !serverUrl || !liveId || !content)
  throw new Error('usage: crash-host <dataDir> <url> <liveId> <text>');
const host = await createHost({ dataDir, serverUrl, backoff: { baseMs: 20, capMs: 200 } });
const api = hostRouter.createCaller({ host, transport: 'direct' });
const message = await api.chat.send({ liveId: Number(liveId), content });
process.stdout.write(`${message.client_id}\n`);
// If the seam never fires, fail loudly instead of hanging the test.
setTimeout(() => {
  console.error('crash-host: still alive after 20 s');
  process.exit(3);
}, 20_000);
