import type { Message } from '../../shared/wire';
import type { Actor, DomainEnv } from './env';
import { type SendInput, type SendRequest, writeSendBatch } from './send-batch';

/** Enough to carry 50 concurrent senders in one go; a longer queue is split (bounded statement size). */
const MAX_BATCH = 256;

type Waiting = {
  request: SendRequest;
  resolve: (message: Message) => void;
  reject: (error: unknown) => void;
};

/**
 * Group commit for chat sends, one per process and domain environment. A send's checks, locks, insert and
 * counter update cost several sequential round trips to Postgres (the profiled cost: Postgres itself already
 * groups concurrent commits' WAL flushes), so one transaction per message caps a node far below what its
 * senders offer. Instead the sends that arrive while a batch is being written wait for it to finish and go
 * together in the next one (send-batch.ts): one transaction, one or two round trips. No timer: an idle server writes
 * a lone message at once (on the next turn of the event loop, which lets the requests read in the same turn
 * join it); under load, batches grow by themselves to what arrived during the previous commit.
 *
 * `inFlight` batches may run at once: two keep the database busy while Node prepares the next batch (on
 * PGlite, which runs one transaction at a time, they simply queue). Correctness does not depend on it: the
 * author locks serialise one author's sends across batches and processes.
 */
export class SendBatcher {
  private queue: Waiting[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly env: DomainEnv,
    private readonly inFlight: number,
  ) {}

  send(actor: Actor, input: SendInput): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { actor, input }, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump() {
    while (this.running < this.inFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.running += 1;
      void this.write(batch).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async write(batch: Waiting[]) {
    try {
      const outcomes = await writeSendBatch(
        this.env,
        batch.map((waiting) => waiting.request),
      );
      outcomes.forEach((outcome, i) => {
        if ('message' in outcome) batch[i]!.resolve(outcome.message);
        else batch[i]!.reject('refusal' in outcome ? outcome.refusal : outcome.error);
      });
    } catch (error) {
      // The transaction failed (nothing of the batch was written): every sender in it gets the error.
      for (const waiting of batch) waiting.reject(error);
    }
  }
}

const batchers = new WeakMap<DomainEnv, SendBatcher>();

/** The environment's batcher (created on first use, so every way of building an env gets one). */
export function sendBatcherOf(env: DomainEnv): SendBatcher {
  let batcher = batchers.get(env);
  if (!batcher) {
    batcher = new SendBatcher(env, env.kind === 'pglite' ? 1 : 2);
    batchers.set(env, batcher);
  }
  return batcher;
}
