import type { TrackedEnvelope } from '@trpc/server';
import type { ChatEvent } from '../../shared/wire';
import type { Actor } from '../domain/env';
import type { ChatServices } from '../routers/context';
import { type ChatEventRequest, chatEventStream } from './event-stream';

/**
 * What `chat.events` returns once tRPC has authenticated the caller and validated the input. tRPC's own
 * iteration (createCaller, or any handler) iterates it like the generator it wraps; the WebSocket handler
 * (ws-handler.ts) recognises it and serves the subscription itself from `request`, writing each event's
 * pre-serialised frame (direct-subscription.ts) instead of one generator step and JSON per subscriber.
 */
export class ChatEventSubscription implements AsyncIterable<TrackedEnvelope<ChatEvent>> {
  constructor(
    readonly services: ChatServices,
    readonly actor: Actor,
    readonly request: ChatEventRequest,
    private readonly signal: AbortSignal | undefined,
    /** Errors as the procedure reports them (a domain refusal → its tRPC error). */
    readonly mapError: (error: unknown) => unknown,
  ) {}

  async *[Symbol.asyncIterator]() {
    try {
      yield* chatEventStream(this.services, this.actor, { ...this.request, signal: this.signal });
    } catch (error) {
      throw this.mapError(error);
    }
  }
}
