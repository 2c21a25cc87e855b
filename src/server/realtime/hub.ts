import type { DomainEnv } from '../domain/env';
import { safeHorizon } from '../domain/horizon';
import type { ChangeNotice, FanoutAdapter } from './fanout';
import { type HubEvent, hubEventsOf } from './hub-events';
import { LiveReader } from './hub-read';
import { MessageShapes } from './message-shapes';
import { REACTION_WINDOW_MS, ReactionWindow } from './reaction-window';

export type { HubEvent } from './hub-events';

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
  reader: LiveReader;
  shapes: MessageShapes;
  /** Between the reads and the listeners: reactions-only changes wait here a moment (reaction-window.ts). */
  window: ReactionWindow;
};

export type ChatHubOptions = {
  /** How long reactions-only changes may be held to go out together; REACTION_WINDOW_MS unless a test says. */
  reactionWindowMs?: number;
};

const READ_BATCH = 500;

/**
 * One process's subscriptions. A notice (from any process) only says "live P changed at version V"; the hub
 * reads the rows back once per live — not once per subscriber — in version order up to the safe horizon
 * (hub-read.ts), and pushes the same event objects to every listener (so they are serialised once, see
 * event-frames.ts). Reactions-only changes pass through the live's reaction window first: a message taking a
 * thousand reactions a second goes out at most every REACTION_WINDOW_MS, with its latest counts.
 */
export class ChatHub {
  private readonly posts = new Map<number, PostWatch>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly env: DomainEnv,
    fanout: FanoutAdapter,
    private readonly options: ChatHubOptions = {},
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
      const listeners = new Set<HubListener>();
      const created: PostWatch = {
        cursor: 0,
        listeners,
        reading: null,
        again: false,
        reader: new LiveReader(this.env, postId),
        shapes: new MessageShapes(),
        window: new ReactionWindow((events) => {
          for (const listener of listeners) listener.push(events);
        }, this.options.reactionWindowMs ?? REACTION_WINDOW_MS),
      };
      this.posts.set(postId, created);
      // Nobody saw anything of this live through this hub yet: start at the current horizon, and hold reads
      // until it is known (a notice arriving meanwhile is read after). If that fails, the watch is dropped and
      // the subscriber gets the error (its client reconnects and tries again).
      const starting = safeHorizon(this.env).then((horizon) => {
        created.cursor = Math.max(created.cursor, horizon);
      });
      created.reading = starting
        .catch(() => {
          if (this.posts.get(postId) === created) this.drop(postId, created);
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
    // Changes held back by the reaction window are below the cursor but not yet pushed: owed to this one too.
    const held = watch.window.heldFrom();
    return {
      from: held === null ? watch.cursor : Math.min(watch.cursor, held - 1),
      stop: () => {
        watch.listeners.delete(listener);
        if (watch.listeners.size === 0 && this.posts.get(postId) === watch) this.drop(postId, watch);
      },
    };
  }

  private drop(postId: number, watch: PostWatch) {
    this.posts.delete(postId);
    watch.window.close();
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
    watch.reading = this.readInto(watch)
      .catch((error) => console.warn(`chat hub: reading live ${postId} failed: ${(error as Error).message}`))
      .finally(() => {
        watch.reading = null;
        if (watch.again) this.schedule(postId);
      });
  }

  private async readInto(watch: PostWatch) {
    for (;;) {
      const changes = await watch.reader.read(watch.cursor, READ_BATCH);
      const events = hubEventsOf(changes, watch.shapes);
      if (events.length > 0) watch.window.offer(events);
      watch.cursor = Math.max(watch.cursor, changes.cursor);
      if (!changes.hasMore) return;
    }
  }

  close() {
    for (const stop of this.stops) stop();
    for (const watch of this.posts.values()) {
      watch.window.close();
      for (const listener of watch.listeners) listener.end();
    }
    this.posts.clear();
  }
}
