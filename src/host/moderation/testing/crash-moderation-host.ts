/**
 * A host that dies (SIGKILL, by the moderation service's test seam STUDIO_TEST_KILL_AFTER_MODERATION=1) right
 * after the server applied a queued ban and before the outbox recorded it. Run by moderation-crash.test.ts:
 *   node --import tsx crash-moderation-host.ts <dataDir> <serverUrl> <liveId> <userId>
 * It waits to be killed by its own moderation service.
 */
import { createHost } from '../../host';
import { hostRouter } from '../../routers/index';

const [dataDir, serverUrl, liveId, userId] = process.argv.slice(2);
if (!dataDir || !serverUrl || !liveId || !userId)
  throw new Error('usage: crash-moderation-host <dataDir> <url> <liveId> <userId>');
const host = await createHost({ dataDir, serverUrl, backoff: { baseMs: 20, capMs: 200 } });
const api = hostRouter.createCaller({ host, transport: 'direct' });
// Online, the ban goes out at once; offline, it is queued and goes out when the engine connects.
await api.moderation.act({ action: 'ban', liveId: Number(liveId), userId: Number(userId), reason: 'spam' });
// If the seam never fires, fail loudly instead of hanging the test.
setTimeout(() => {
  console.error('crash-moderation-host: still alive after 20 s');
  process.exit(3);
}, 20_000);
