/**
 * A host that dies (SIGKILL, by the engine's test seam STUDIO_TEST_KILL_AFTER_PULL_PAGES) in the middle of the
 * initial sync of a live, right after a pulled page was committed. Run by pull-resume.test.ts as a child process:
 *   node --import tsx crash-pull-host.ts <dataDir> <serverUrl> <liveId> <pageSize>
 * The data dir already holds the signed-in account.
 */
import { createHost } from '../../host';

const [dataDir, serverUrl, liveId, pageSize] = process.argv.slice(2);
if (!dataDir || !serverUrl || !liveId || !pageSize)
  throw new Error('usage: crash-pull-host <dataDir> <url> <liveId> <pageSize>');
const host = await createHost({
  dataDir,
  serverUrl,
  pullPageSize: Number(pageSize),
  backoff: { baseMs: 20, capMs: 200 },
});
host.sync.follow(Number(liveId));
// If the seam never fires, fail loudly instead of hanging the test.
setTimeout(() => {
  console.error('crash-pull-host: still alive after 20 s');
  process.exit(3);
}, 20_000);
