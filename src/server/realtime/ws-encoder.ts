import type { Encoder } from '@trpc/server/adapters/ws';

/**
 * The WebSocket wire encoder. A chat event goes to every subscriber of a live as the same object (hub.ts), so
 * its JSON is computed once and spliced into each subscriber's small envelope (ids differ per subscription)
 * instead of serialising the whole message again for each of 1,000 subscribers.
 */
const cache = new WeakMap<object, string>();
const MARK = '\u0000cc-event\u0000';
const PLACEHOLDER = JSON.stringify(MARK);

type DataEnvelope = { result?: { type?: string; data?: { id?: string; data?: unknown } } };

export const sharedEventEncoder: Encoder = {
  encode(message) {
    const payload = (message as DataEnvelope).result?.data?.data;
    if (!payload || typeof payload !== 'object' || !('version' in payload) || !('type' in payload))
      return JSON.stringify(message);
    let json = cache.get(payload);
    if (json === undefined) {
      json = JSON.stringify(payload);
      cache.set(payload, json);
    }
    const envelope = message as Required<DataEnvelope>;
    const shell = JSON.stringify({
      ...envelope,
      result: { ...envelope.result, data: { ...envelope.result.data, data: MARK } },
    });
    // A function replacement: `$&` and friends in chat text must stay literal.
    return shell.replace(PLACEHOLDER, () => json!);
  },
  decode(data) {
    return JSON.parse(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8'));
  },
};
