import type { PGlite } from '@electric-sql/pglite';
import type { Executor } from '../db/sql';
import { createAnnouncer } from './announcer';
import {
  type ChangeNotice,
  CHANGE_CHANNEL,
  decodeNotice,
  decodeRevocation,
  type FanoutAdapter,
  publishNotice,
  REVOKED_CHANNEL,
} from './fanout';

/**
 * The embedded mode's fan-out: PGlite runs LISTEN/NOTIFY in-process, so the same NOTIFY that Postgres sends to
 * other processes reaches every server sharing this PGlite instance.
 */
export async function createPgliteFanout(client: PGlite, executor: Executor): Promise<FanoutAdapter> {
  const listeners = new Set<(notice: ChangeNotice) => void>();
  const unlisten = await client.listen(CHANGE_CHANNEL, (payload) => {
    const notice = decodeNotice(payload);
    if (notice) for (const listener of listeners) listener(notice);
  });
  const revokedListeners = new Set<(tokenHashes: string[]) => void>();
  const unlistenRevoked = await client.listen(REVOKED_CHANNEL, (payload) => {
    const hashes = decodeRevocation(payload);
    if (hashes.length > 0) for (const listener of revokedListeners) listener(hashes);
  });
  return {
    publish: publishNotice,
    announce: createAnnouncer(executor),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onRevoked(listener) {
      revokedListeners.add(listener);
      return () => revokedListeners.delete(listener);
    },
    onResync: () => () => {},
    async close() {
      await unlisten().catch(() => {});
      await unlistenRevoked().catch(() => {});
    },
  };
}
