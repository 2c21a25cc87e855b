import type { ChatEvent } from '../../shared/wire';

/**
 * tRPC's WebSocket data message for one tracked event, as its handler writes it (ws adapter: `{id, jsonrpc,
 * result: {type: 'data', data: {id, data}, id}}`, keys in that order, no transformer), built by splicing.
 *
 * The hub hands the same event object to every subscriber of a live (hub.ts), and most subscriptions share
 * their request id (each client numbers its own requests from 1), so a frame is built once per event and
 * request head and the same bytes go to every socket: one JSON.stringify and one Buffer per event, not per
 * subscriber.
 */
const cache = new WeakMap<ChatEvent, { json: string; frames: Map<string, Buffer> }>();

/** The constant start of a subscription's data messages: its request id (and jsonrpc, when it sent one). */
export function frameHead(id: number | string, jsonrpc: string | undefined): string {
  const rpc = jsonrpc === undefined ? '' : `,"jsonrpc":${JSON.stringify(jsonrpc)}`;
  return `{"id":${JSON.stringify(id)}${rpc},"result":{"type":"data","data":{"id":`;
}

function splice(head: string, version: number, json: string): Buffer {
  const id = JSON.stringify(String(version));
  return Buffer.from(`${head}${id},"data":${json}},"id":${id}}}`);
}

/** The frame for an event many subscribers get (a hub event): cached per event object and head. */
export function sharedFrame(head: string, event: ChatEvent): Buffer {
  let cached = cache.get(event);
  if (!cached) {
    cached = { json: JSON.stringify(event), frames: new Map() };
    cache.set(event, cached);
  }
  let frame = cached.frames.get(head);
  if (!frame) {
    frame = splice(head, event.version, cached.json);
    cached.frames.set(head, frame);
  }
  return frame;
}

/** The frame for an event one subscriber gets (its backlog): not cached. */
export function ownFrame(head: string, event: ChatEvent): Buffer {
  return splice(head, event.version, JSON.stringify(event));
}
