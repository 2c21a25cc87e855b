import type { ReactionHistory } from '../../shared/wire';
import type { ReactionHistoryStore } from '../db/reaction-history-store';

/** Reactions come in bursts: one question per live and second at most, whatever the rate of changes. */
const REFRESH_DELAY_MS = 1_000;

type Fetch = (input: { postId: number; since?: string; afterId?: number }) => Promise<ReactionHistory>;

/**
 * Keeps the host's copy of the followed lives' reaction histories current during one sync session (issue 16):
 * asked for at catch-up and again shortly after any message change (a reaction is one), from where the last
 * answer left off. Best effort: a failure is logged and the next change asks again; the counts themselves come
 * with the messages, this only adds when and by whom (replay at a moment, names on hover).
 */
export class ReactionHistorySync {
  readonly #fetch: Fetch;
  readonly #store: ReactionHistoryStore;
  readonly #serverKey: string;
  readonly #timers = new Map<number, NodeJS.Timeout>();
  readonly #running = new Map<number, Promise<void>>();
  #stopped = false;

  constructor(fetch: Fetch, store: ReactionHistoryStore, serverKey: string) {
    this.#fetch = fetch;
    this.#store = store;
    this.#serverKey = serverKey;
  }

  /** Ask for `liveId`'s changes soon (at once for the first time: a replay may be opened right after). */
  schedule(liveId: number): void {
    if (this.#stopped || this.#timers.has(liveId)) return;
    const delay = this.#store.known(this.#serverKey, liveId) ? REFRESH_DELAY_MS : 0;
    const timer = setTimeout(() => {
      this.#timers.delete(liveId);
      // One question at a time per live; a change during it asks again afterwards.
      const previous = this.#running.get(liveId) ?? Promise.resolve();
      const next = previous.then(() => this.#refresh(liveId));
      this.#running.set(liveId, next);
      void next.finally(() => {
        if (this.#running.get(liveId) === next) this.#running.delete(liveId);
      });
    }, delay);
    timer.unref?.();
    this.#timers.set(liveId, timer);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #refresh(liveId: number): Promise<void> {
    if (this.#stopped) return;
    const since = this.#store.since(this.#serverKey, liveId);
    try {
      let page = await this.#fetch({ postId: liveId, ...(since ? { since } : {}) });
      // The first page's time is the one to resume from: what changed while the later pages came is then asked
      // again next time (rows by id: no double).
      const asOf = page.as_of;
      for (;;) {
        if (this.#stopped) return;
        const complete = page.next_after_id === null;
        this.#store.save(this.#serverKey, liveId, { ...page, as_of: asOf }, complete);
        if (complete) return;
        page = await this.#fetch({
          postId: liveId,
          ...(since ? { since } : {}),
          afterId: page.next_after_id!,
        });
      }
    } catch (error) {
      if (!this.#stopped)
        console.warn(`[sync] reaction history of live ${liveId}: ${(error as Error).message ?? error}`);
    }
  }
}
