import type { PGlite } from '@electric-sql/pglite';
import type { Executor } from '../db/sql';
import { createAnnouncer } from './announcer';
import { type ChangeNotice, CHANGE_CHANNEL, decodeNotice, type FanoutAdapter, publishNotice } from './fanout';

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
  return {
    publish: publishNotice,
    announce: createAnnouncer(executor),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResync: () => () => {},
    async close() {
      await unlisten().catch(() => {});
    },
  };
}
