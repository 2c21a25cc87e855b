import { tracked } from '@trpc/server';
import type { ChatEvent } from '../../shared/wire';
import { loadLiveAccess } from '../domain/access';
import { readChanges, readerOf, toEvents } from '../domain/chat';
import type { Actor, DomainEnv } from '../domain/env';
import type { Reader } from '../domain/mappers';
import type { ChatServices } from '../routers/context';
import { EventQueue } from './event-queue';
import type { HubEvent } from './hub';

const BACKLOG_BATCH = 500;

export type ChatEventRequest = { postId: number; lastEventId: number | null };

/** Who reads the live's events, and in which form (staff see hidden text): refuses an unknown live. */
export async function eventReader(env: DomainEnv, actor: Actor, postId: number): Promise<Reader> {
  return readerOf(actor, await loadLiveAccess(env.db, postId, actor));
}

/** One batch of a subscriber's backlog: the events after `after`, in this reader's form. */
export async function backlogBatch(env: DomainEnv, postId: number, after: number, reader: Reader) {
  const changes = await readChanges(env, postId, after, BACKLOG_BATCH);
  return { events: toEvents(changes, reader), cursor: changes.cursor, hasMore: changes.hasMore };
}

/** The form of a hub event this reader gets (the hub builds each once per change): the author's own held text. */
export function formFor(reader: Reader, event: HubEvent): ChatEvent {
  const form = reader.staff
    ? event.staff
    : event.own !== undefined && event.ownerId === reader.userId
      ? event.own
      : event.viewer;
  if (reader.userId === null || !event.reactions?.by.has(reader.userId) || form.type !== 'message')
    return form;
  // This reader reacted: their own copy says which reactions are theirs (the shared one says none).
  const { stored } = event.reactions;
  const userId = reader.userId;
  const reactions = form.message.reactions.map((reaction) => ({
    ...reaction,
    mine: stored.some((entry) => entry.e === reaction.emoji && entry.u.some((id) => Number(id) === userId)),
  }));
  return { ...form, message: { ...form.message, reactions } };
}

/**
 * A live's chat events for one subscriber: the backlog after `lastEventId`, then live events, without a gap.
 * The hub listener is registered BEFORE the backlog is read, so a change committed meanwhile is either in the
 * backlog or in the queue (or both: versions already covered are skipped). Each event carries its version as
 * its tracked() id, so a reconnecting client resumes exactly after the last event it received.
 *
 * This is the generic path (tRPC's own iteration: `createCaller`, any transport); chat.events over the
 * WebSocket takes direct-subscription.ts, which follows the same steps without a generator per subscriber.
 */
export async function* chatEventStream(
  services: ChatServices,
  actor: Actor,
  options: ChatEventRequest & { signal: AbortSignal | undefined },
) {
  const { env, hub } = services;
  const reader = await eventReader(env, actor, options.postId);
  const queue = new EventQueue<HubEvent>();
  const watch = await hub.watch(options.postId, {
    push: (events) => {
      for (const event of events) queue.push(event);
    },
    end: () => queue.end(),
  });
  const stop = () => {
    watch.stop();
    queue.end();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    let covered = options.lastEventId ?? watch.from;
    if (options.lastEventId !== null) {
      for (;;) {
        const batch = await backlogBatch(env, options.postId, covered, reader);
        for (const event of batch.events) yield tracked(String(event.version), event);
        covered = Math.max(covered, batch.cursor);
        if (!batch.hasMore) break;
      }
    }
    for await (const event of queue) {
      if (event.version <= covered) continue;
      covered = event.version;
      yield tracked(String(event.version), formFor(reader, event));
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
  }
}
