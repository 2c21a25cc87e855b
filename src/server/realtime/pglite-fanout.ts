import type { PGlite } from '@electric-sql/pglite';
import type { Executor } from '../db/sql';
import { createAnnouncer } from './announcer';
import { FANOUT_CHANNELS, type FanoutAdapter, FanoutListeners, publishNotice } from './fanout';

/**
 * The embedded mode's fan-out: PGlite runs LISTEN/NOTIFY in-process, so the same NOTIFY that Postgres sends to
 * other processes reaches every server sharing this PGlite instance.
 */
export async function createPgliteFanout(client: PGlite, executor: Executor): Promise<FanoutAdapter> {
  const listeners = new FanoutListeners();
  const unlisteners = await Promise.all(
    FANOUT_CHANNELS.map((channel) =>
      client.listen(channel, (payload) => listeners.deliver(channel, payload)),
    ),
  );
  return {
    publish: publishNotice,
    announce: createAnnouncer(executor),
    subscribe: listeners.subscribe,
    onRevoked: listeners.onRevoked,
    onResync: () => () => {},
    async close() {
      await Promise.all(unlisteners.map((unlisten) => unlisten().catch(() => {})));
    },
  };
}
