import { EventEmitter, on } from 'node:events';
import type { CachedMessage } from '../../shared/wire';

/** One change of the chat cache: the rows of one live (of one server) that were written, as they now are. */
export type ChatChange = { serverKey: string; liveId: number; messages: CachedMessage[] };

/**
 * Tells the renderer's subscriptions that the cache changed. The UI is driven by the cache (design §3): every
 * write path (send, push ack, pull, live event, retry, discard) reports here after its transaction committed.
 */
export class ChatChanges {
  readonly #emitter = new EventEmitter();

  constructor() {
    // One listener per open chat view and per test host: not a leak.
    this.#emitter.setMaxListeners(0);
  }

  emit(changes: ChatChange[]): void {
    for (const change of changes) if (change.messages.length > 0) this.#emitter.emit('change', change);
  }

  /** Changes of one live, until `signal` aborts (the subscription ends). */
  async *watch(serverKey: () => string | null, liveId: number, signal?: AbortSignal) {
    try {
      for await (const [change] of on(this.#emitter, 'change', { signal }) as AsyncIterable<[ChatChange]>) {
        if (change.liveId === liveId && change.serverKey === serverKey()) yield change;
      }
    } catch (error) {
      // The subscriber went away: a normal end, not an error.
      if (signal?.aborted) return;
      throw error;
    }
  }

  hasListeners(): boolean {
    return this.#emitter.listenerCount('change') > 0;
  }

  listen(listener: (change: ChatChange) => void): () => void {
    this.#emitter.on('change', listener);
    return () => this.#emitter.off('change', listener);
  }
}

/** Groups written rows by live, so that each subscription receives only its own. */
export function groupByLive(serverKey: string, rows: CachedMessage[]): ChatChange[] {
  const byLive = new Map<number, CachedMessage[]>();
  for (const row of rows) {
    const list = byLive.get(row.live_id);
    if (list) list.push(row);
    else byLive.set(row.live_id, [row]);
  }
  return [...byLive].map(([liveId, messages]) => ({ serverKey, liveId, messages }));
}
