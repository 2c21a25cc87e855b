import type { HubEvent } from './hub-events';

/**
 * How often, at most, a live's reaction counts go out (issue 16: 1,000 reactions/s on one message must reach
 * each subscriber as at most 10 updates/s). A lone reaction still goes out at once.
 */
export const REACTION_WINDOW_MS = 100;

/**
 * Coalesces one live's reactions-only changes on their way from the hub to its subscribers: once per node,
 * before the fan-out, so a held change costs nothing per subscriber and every subscriber gets the same frames.
 *   - A reactions-only change goes out at once when nothing went out in the last window and none is held.
 *     Otherwise it is held, in place of the held change of the same message: a change is the message's whole
 *     row, so the newest one carries the exact counts (and who reacted, for each reader's `mine`), and the
 *     versions a subscriber gets still only grow. When the window ends, everything held goes out together.
 *   - Any other change (a new message, a hide, a delete, the live's own row) never waits: what is held goes
 *     out first, in the same push, then it. A subscriber skips versions at or below the last one it got, and a
 *     client resumes after the highest version it has: a held change overtaken by a later version would be
 *     lost to both. So under a steady stream of messages the counts ride along with them, one frame each.
 * The window is the live's, not each message's: one timer, and two busy messages are not sent in turns.
 */
export class ReactionWindow {
  /** Held changes by message id: the newest of each. */
  private readonly held = new Map<number, HubEvent>();
  private timer: NodeJS.Timeout | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly send: (events: HubEvent[]) => void,
    private readonly windowMs = REACTION_WINDOW_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** One read's events, in version order: sends at once what may go, holds the rest. */
  offer(events: readonly HubEvent[]): void {
    if (this.closed) return;
    const out: HubEvent[] = [];
    for (const event of events) {
      const messageId = event.reactionsOnly && event.staff.type === 'message' ? event.staff.message.id : null;
      if (messageId === null) {
        this.release(out);
        out.push(event);
        // A frame went out (the first change of a message the hub did not know carries its counts too): the
        // next reactions wait a window from here.
        this.lastSentAt = this.now();
      } else if (this.held.size === 0 && this.now() - this.lastSentAt >= this.windowMs) {
        out.push(event);
        this.lastSentAt = this.now();
      } else {
        this.held.set(messageId, event);
      }
    }
    if (out.length > 0) this.send(out);
    this.arm();
  }

  /** The lowest version held back, or null: a listener added now is owed everything from there on. */
  heldFrom(): number | null {
    let lowest: number | null = null;
    for (const event of this.held.values())
      if (lowest === null || event.version < lowest) lowest = event.version;
    return lowest;
  }

  close(): void {
    this.closed = true;
    this.held.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Moves every held change into `out`, in version order (they are all older than what follows in `out`). */
  private release(out: HubEvent[]) {
    if (this.held.size === 0) return;
    out.push(...[...this.held.values()].sort((a, b) => a.version - b.version));
    this.held.clear();
    this.lastSentAt = this.now();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm() {
    if (this.held.size === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      return;
    }
    if (this.timer) return;
    const wait = this.lastSentAt + this.windowMs - this.now();
    this.timer = setTimeout(
      () => {
        this.timer = null;
        // Timers may fire a fraction of a millisecond early: the window is a promise, wait the rest.
        if (this.now() - this.lastSentAt < this.windowMs) return this.arm();
        const out: HubEvent[] = [];
        this.release(out);
        if (out.length > 0 && !this.closed) this.send(out);
      },
      Math.max(0, Math.ceil(wait)),
    );
    // A held change is no reason to keep a process alive: close() drops it with its listeners.
    this.timer.unref();
  }
}
