import { ChatSearch } from '../db/chat-search';
import type { Host } from '../host';
import { createReplayService, type ReplayService } from './replay-service';

const services = new WeakMap<Host, ReplayService>();

/**
 * The replay service of a host, made on first use: a replay needs nothing at start-up (no loop, no socket),
 * so it lives beside the Host rather than in it, and goes away with it.
 */
export function replayOf(host: Host): ReplayService {
  let service = services.get(host);
  if (!service) {
    service = createReplayService({
      sqlite: host.database.sqlite,
      changes: host.chat.changes,
      recordings: host.recordings,
      serverKey: () => host.link.target?.serverKey ?? null,
      reactionHistory: host.reactionHistory,
      readerId: (serverKey) => host.accounts.get(serverKey)?.user.id ?? null,
      search: new ChatSearch(host.database.sqlite),
    });
    services.set(host, service);
  }
  return service;
}
