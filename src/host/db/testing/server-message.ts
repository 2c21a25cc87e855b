import type { Message } from '../../../shared/wire';

/** A client id that reads as its number, for tests that seed many messages. */
export const testClientId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A message as the chat server sends it, for cache tests: message `id` of live 1 by Bo Lee, its version its id,
 * its client id `testClientId(id)`, sent `id` seconds after a fixed moment; `over` changes any field.
 */
export function serverMessage(over: Partial<Message> & { id: number }): Message {
  return {
    client_id: testClientId(over.id),
    content: `m${over.id}`,
    timestamp: new Date(1_800_000_000_000 + over.id * 1000).toISOString(),
    author: { id: 9, first_name: 'Bo', last_name: 'Lee', profile_picture: null },
    post_id: 1,
    version: over.id,
    hidden: false,
    deleted: false,
    held: false,
    type: 'text',
    reply_to: null,
    reactions: [],
    ...over,
  };
}
