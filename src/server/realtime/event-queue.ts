/**
 * A subscriber's inbox: the hub pushes, the subscription's generator awaits. Bounded: a subscriber that falls
 * this far behind is ended with an error and resumes from its last event id (the backlog is in the database).
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failure: Error | null = null;
  private ended = false;

  constructor(private readonly capacity = 10_000) {}

  push(item: T) {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.capacity) {
      this.fail(new Error('Subscriber too slow: reconnect to resume from the last event.'));
      return;
    }
    this.items.push(item);
  }

  fail(error: Error) {
    this.failure = error;
    this.end();
  }

  end() {
    this.ended = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  async next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return { value: item, done: false };
    if (this.failure) throw this.failure;
    if (this.ended) return { value: undefined, done: true };
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  [Symbol.asyncIterator]() {
    return { next: () => this.next() };
  }
}
