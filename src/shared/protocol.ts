import { z } from 'zod';

/**
 * The chat protocol between a studio and a chat server, which meet in different versions in the wild (a studio
 * updated before its server, or after). The server announces what it speaks (`protocol` query); the studio
 * asks once per connection and adapts, or says in one sentence which side to update.
 *
 * - `PROTOCOL_VERSION` goes up when a change would break the other side (a procedure removed, an input or
 *   answer changed incompatibly). A server also says the oldest version it still serves (`minProtocolVersion`).
 * - A capability is an addition that an older peer simply lacks: the studio uses it where announced, and falls
 *   back where not (`pullColumns` absent: `chat.pull`, which every version has).
 */
export const PROTOCOL_VERSION = 1;

export const CAPABILITIES = [
  /** `chat.pullColumns`: the sync's bulk pages, column by column (else `chat.pull`, events in pages of 1,000). */
  'pullColumns',
  /** Moderation actions (hide, unhide, delete, release, ban, unban, timeout, slow mode) take a `clientActionId`
   * and are applied once per id: an older server ignores the field (and may apply a resent action twice). */
  'moderationActionIds',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** What the server answers to `protocol`. Capabilities it names that this side does not know are ignored. */
export const serverProtocolSchema = z.object({
  protocolVersion: z.number().int().nonnegative(),
  minProtocolVersion: z.number().int().nonnegative(),
  capabilities: z.array(z.string()),
});
export type ServerProtocol = z.infer<typeof serverProtocolSchema>;

/** What this build of the server speaks. */
export const CURRENT_SERVER_PROTOCOL: ServerProtocol = {
  protocolVersion: PROTOCOL_VERSION,
  minProtocolVersion: 1,
  capabilities: [...CAPABILITIES],
};

/**
 * A server from before the announcement (no `protocol` procedure): version 1, and no capability is assumed,
 * so the studio keeps to what version 1 always had.
 */
export const UNANNOUNCED_SERVER_PROTOCOL: ServerProtocol = {
  protocolVersion: 1,
  minProtocolVersion: 1,
  capabilities: [],
};

/** The versions a client speaks, oldest to newest. */
export type ProtocolRange = { min: number; max: number };

/**
 * Null when the two sides share a version; else the one sentence that says which side to update (shown as the
 * connection's error, so the user knows what to do rather than watching a sync fail).
 */
export function protocolMismatch(server: ServerProtocol, client: ProtocolRange): string | null {
  if (server.protocolVersion < client.min)
    return `This chat server is too old for this studio (protocol ${server.protocolVersion}, the studio needs ${client.min} or later): update the chat server.`;
  if (server.minProtocolVersion > client.max)
    return `This chat server is too new for this studio (it needs protocol ${server.minProtocolVersion} or later, the studio speaks up to ${client.max}): update the studio.`;
  return null;
}
