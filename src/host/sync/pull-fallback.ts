import type { ServerProtocol } from '../../shared/protocol';
import { type Author, type ChatEvent, MESSAGE_FLAG, type PullColumnsPage } from '../../shared/wire';
import type { ChatServerApi } from './server-api';

/** `chat.pull`'s largest page (routers/inputs.ts pullInput): a server without `pullColumns` gets pages this big. */
export const PULL_PAGE_MAX = 1000;

/** What `chat.pull` answers: the same changes as `chat.pullColumns`, one event object each. */
export type PullEventsPage = { events: ChatEvent[]; cursor: number; hasMore: boolean; total: number | null };

/**
 * A `chat.pull` page in `chat.pullColumns`' shape, for a server that lacks the capability (src/shared/protocol.ts):
 * the sync then applies every page the one way it knows. Both procedures return the same rows for the same
 * reader, so the cache ends the same whichever the server offers.
 */
export function columnsFromEvents(page: PullEventsPage): PullColumnsPage {
  const messages: PullColumnsPage['messages'] = {
    id: [],
    version: [],
    client_id: [],
    content: [],
    created_at: [],
    author_id: [],
    flags: [],
  };
  const authors = new Map<number, Author>();
  let live: PullColumnsPage['live'] = null;
  for (const event of page.events) {
    if (event.type === 'live') {
      // The live's own row appears at most once per range; the newest wins if it ever did not.
      if (!live || event.version > live.version) live = { version: event.version, live: event.live };
      continue;
    }
    const { message } = event;
    messages.id.push(message.id);
    messages.version.push(message.version);
    messages.client_id.push(message.client_id);
    messages.content.push(message.content);
    messages.created_at.push(message.timestamp);
    messages.author_id.push(message.author.id);
    messages.flags.push(
      (message.hidden ? MESSAGE_FLAG.hidden : 0) |
        (message.deleted ? MESSAGE_FLAG.deleted : 0) |
        (message.held ? MESSAGE_FLAG.held : 0),
    );
    authors.set(message.author.id, message.author);
  }
  return {
    cursor: page.cursor,
    hasMore: page.hasMore,
    total: page.total,
    messages,
    authors: [...authors.values()],
    live,
  };
}

export type PagePuller = ChatServerApi['pullColumns'];

/**
 * How this session pulls: `chat.pullColumns` where the server announces it, else `chat.pull` in its largest
 * pages, turned into the same shape. Decided once per session, from the server's answer to `protocol`.
 */
export function pagePuller(api: ChatServerApi, protocol: ServerProtocol): PagePuller {
  if (protocol.capabilities.includes('pullColumns')) return (input) => api.pullColumns(input);
  return async (input) =>
    columnsFromEvents(
      await api.pull({ ...input, limit: Math.min(input.limit ?? PULL_PAGE_MAX, PULL_PAGE_MAX) }),
    );
}
