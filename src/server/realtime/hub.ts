import type { ChatEvent } from '../../shared/wire';
import type { StoredReaction } from '../db/schema';
import { toNumber } from '../db/sql';
import { readChanges, toEvents } from '../domain/chat';
import { storedReactions } from '../domain/mappers';
import type { DomainEnv } from '../domain/env';
import { safeHorizon } from '../domain/horizon';
import type { ChangeNotice, FanoutAdapter } from './fanout';

/**
 * One change as every subscriber of a live gets it: built once, in the forms readers can see. A message held
 * for review is blank for viewers but readable by its author (mappers.ts `toMessage`), so it carries a third
 * form, `own`, for the one reader whose id is `ownerId`; every other event has neither.
 */
export type HubEvent = {
  version: number;
  staff: ChatEvent;
  viewer: ChatEvent;
  own?: ChatEvent | undefined;
  ownerId?: number | undefined;
  /**
   * The message's reactions with who gave them: the shared forms say `mine: false` everywhere, and a reader who
   * reacted gets a form of their own (event-stream.ts `formFor`), so the others still share one frame.
   */
  reactions?: { stored: StoredReaction[]; by: ReadonlySet<number> } | undefined;
};

/**
 * What the hub pushes to, synchronously and in version order, one read's events at a time (a listener that
 * writes to a socket sends them in one write, see direct-subscription.ts): an EventQueue that a generator
 * awaits (event-stream.ts), or a direct WebSocket subscription.
 */
export type HubListener = { push(events: readonly HubEvent[]): void; end(): void };

type PostWatch = {
  /** Every change of the live up to this version has been pushed to the listeners. */
  cursor: number;
  listeners: Set<HubListener>;
  reading: Promise<void> | null;
  again: boolean;
};

const READ_BATCH = 500;

/**
 * The hub event of one change. Only a held message reads differently for its author than for other viewers
 * (its text; hidden and deleted text stays blank for them too), so only it gets an `own` form: built from the
 * viewer's form with the staff form's text, as `toMessage` would for `{ userId: author, staff: false }`.
 */
function withOwnForm(staff: ChatEvent, viewer: ChatEvent): HubEvent {
  const event: HubEvent = { version: staff.version, staff, viewer };
  if (viewer.type !== 'message' || staff.type !== 'message') return event;
  const { message } = viewer;
  if (!message.held || message.hidden || message.deleted) return event;
  event.own = { ...viewer, message: { ...message, content: staff.message.content } };
  event.ownerId = message.author.id;
  return event;
}

/**
 * One process's subscriptions. A notice (from any process) only says "live P changed at version V"; the hub
 * reads the rows back once per live — not once per subscriber — in version order up to the safe horizon, and
 * pushes the same event objects to every listener (so they are serialised once, see event-frames.ts).
 */
export class ChatHub {
  private readonly posts = new Map<number, PostWatch>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly env: DomainEnv,
    fanout: FanoutAdapter,
  ) {
    this.stops.push(fanout.subscribe((notice) => this.onNotice(notice)));
    // After the listener lost its connection, notices may be lost: re-read every watched live.
    this.stops.push(
      fanout.onResync(() => {
        for (const postId of this.posts.keys()) this.schedule(postId);
      }),
    );
  }

  /**
   * Adds a listener to a live. Resolves with the version from which the listener receives everything; the
   * caller replays its backlog up to at least that version from the database (no gap, duplicates skipped).
   */
  async watch(postId: number, listener: HubListener): Promise<{ from: number; stop: () => void }> {
    let watch = this.posts.get(postId);
    if (!watch) {
      const created: PostWatch = { cursor: 0, listeners: new Set(), reading: null, again: false };
      this.posts.set(postId, created);
      // Nobody saw anything of this live through this hub yet: start at the current horizon, and hold reads
      // until it is known (a notice arriving meanwhile is read after). If that fails, the watch is dropped and
      // the subscriber gets the error (its client reconnects and tries again).
      const starting = safeHorizon(this.env).then((horizon) => {
        created.cursor = Math.max(created.cursor, horizon);
      });
      created.reading = starting
        .catch(() => {
          if (this.posts.get(postId) === created) this.posts.delete(postId);
        })
        .finally(() => {
          created.reading = null;
          if (created.again) this.schedule(postId);
        });
      watch = created;
      await starting;
    }
    if (watch.reading) await watch.reading;
    watch.listeners.add(listener);
    return {
      from: watch.cursor,
      stop: () => {
        watch.listeners.delete(listener);
        if (watch.listeners.size === 0 && this.posts.get(postId) === watch) this.posts.delete(postId);
      },
    };
  }

  get subscriberCount() {
    let n = 0;
    for (const watch of this.posts.values()) n += watch.listeners.size;
    return n;
  }

  private onNotice(notice: ChangeNotice) {
    const watch = this.posts.get(notice.postId);
    if (watch && notice.version > watch.cursor) this.schedule(notice.postId);
  }

  /** At most one read per live at a time; notices arriving during a read cause exactly one more read. */
  private schedule(postId: number) {
    const watch = this.posts.get(postId);
    if (!watch) return;
    if (watch.reading) {
      watch.again = true;
      return;
    }
    watch.again = false;
    watch.reading = this.readInto(postId, watch)
      .catch((error) => console.warn(`chat hub: reading live ${postId} failed: ${(error as Error).message}`))
      .finally(() => {
        watch.reading = null;
        if (watch.again) this.schedule(postId);
      });
  }

  private async readInto(postId: number, watch: PostWatch) {
    for (;;) {
      const changes = await readChanges(this.env, postId, watch.cursor, READ_BATCH);
      const staff = toEvents(changes, { userId: null, staff: true });
      const viewer = toEvents(changes, { userId: null, staff: false });
      const reacted = new Map<number, StoredReaction[]>();
      for (const row of changes.messages) {
        const stored = storedReactions(row.reactions);
        if (stored.length > 0) reacted.set(toNumber(row.id), stored);
      }
      const events = staff.map((event, i): HubEvent => {
        const formed = withOwnForm(event, viewer[i]!);
        const stored = event.type === 'message' ? reacted.get(event.message.id) : undefined;
        if (stored)
          formed.reactions = { stored, by: new Set(stored.flatMap((reaction) => reaction.u.map(Number))) };
        return formed;
      });
      if (events.length > 0) for (const listener of watch.listeners) listener.push(events);
      watch.cursor = Math.max(watch.cursor, changes.cursor);
      if (!changes.hasMore) return;
    }
  }

  close() {
    for (const stop of this.stops) stop();
    for (const watch of this.posts.values()) for (const listener of watch.listeners) listener.end();
    this.posts.clear();
  }
}
