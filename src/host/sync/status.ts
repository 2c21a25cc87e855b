import { EventEmitter, on } from 'node:events';
import type { ConnectionStatus } from '../../shared/wire';

/** The connection status the renderer shows, with change notification for `connection.onStatus`. */
export class StatusBoard {
  readonly #emitter = new EventEmitter();
  #status: ConnectionStatus = {
    mode: null,
    server_url: null,
    state: 'offline',
    pending: 0,
    last_error: null,
    progress: null,
  };
  #key = JSON.stringify(this.#status);

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  get(): ConnectionStatus {
    return this.#status;
  }

  /** Merges a change; listeners hear about it only if something actually changed. */
  update(change: Partial<ConnectionStatus>): void {
    const next = { ...this.#status, ...change };
    const key = JSON.stringify(next);
    if (key === this.#key) return;
    this.#status = next;
    this.#key = key;
    this.#emitter.emit('status', next);
  }

  listen(listener: (status: ConnectionStatus) => void): () => void {
    this.#emitter.on('status', listener);
    return () => this.#emitter.off('status', listener);
  }

  /** The current status, then every change, until `signal` aborts. */
  async *watch(signal?: AbortSignal): AsyncGenerator<ConnectionStatus> {
    const changes = on(this.#emitter, 'status', { signal }) as AsyncIterable<[ConnectionStatus]>;
    yield this.#status;
    try {
      for await (const [status] of changes) yield status;
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
  }
}
