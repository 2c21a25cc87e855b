/**
 * Keeps an upload under a rate (bytes per second; null: no cap), so that a recording's upload never takes the
 * bandwidth the live's chat and video need: each slice waits until the bytes before it have "drained" at the
 * cap. The uploader also sends smaller chunks when capped (one second's worth), so the wait is spread.
 */
export class BandwidthCap {
  #nextFreeAt = 0;

  constructor(
    private readonly bytesPerSecond: () => number | null,
    private readonly now: () => number = Date.now,
  ) {}

  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const rate = this.bytesPerSecond();
    if (!rate) return;
    const now = this.now();
    const startAt = Math.max(now, this.#nextFreeAt);
    this.#nextFreeAt = startAt + (bytes / rate) * 1000;
    const wait = startAt - now;
    if (wait > 0) await sleep(wait, signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
