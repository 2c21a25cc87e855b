import { tracked } from '@trpc/server';
import { readChanges, readerOf, toEvents } from '../domain/chat';
import { loadLiveAccess } from '../domain/access';
import type { Actor } from '../domain/env';
import type { ChatServices } from '../routers/context';

const BACKLOG_BATCH = 500;

/**
 * A live's chat events for one subscriber: the backlog after `lastEventId`, then live events, without a gap.
 * The hub listener is registered BEFORE the backlog is read, so a change committed meanwhile is either in the
 * backlog or in the queue (or both: versions already covered are skipped). Each event carries its version as
 * its tracked() id, so a reconnecting client resumes exactly after the last event it received.
 */
export async function* chatEventStream(
  services: ChatServices,
  actor: Actor,
  options: { postId: number; lastEventId: number | null; signal: AbortSignal | undefined },
) {
  const { env, hub } = services;
  const access = await loadLiveAccess(env.db, options.postId, actor);
  const reader = readerOf(actor, access);
  const watch = await hub.watch(options.postId);
  const stop = () => watch.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    let covered = options.lastEventId ?? watch.from;
    if (options.lastEventId !== null) {
      for (;;) {
        const changes = await readChanges(env, options.postId, covered, BACKLOG_BATCH);
        for (const event of toEvents(changes, reader)) yield tracked(String(event.version), event);
        covered = Math.max(covered, changes.cursor);
        if (!changes.hasMore) break;
      }
    }
    for await (const event of watch.queue) {
      if (event.version <= covered) continue;
      covered = event.version;
      yield tracked(String(event.version), reader.staff ? event.staff : event.viewer);
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
  }
}
