import { foldForMatching } from '../../shared/blocked-terms';
import type { ReactionSpan } from '../../shared/reaction-spans';
import type { CachedMessage } from '../../shared/wire';
import { messageVideoMs, type ReplayClock } from '../../shared/replay-clock';

/**
 * A cached message with its place in the recording's video; `reaction_spans` (set by the replay service when
 * the live's reaction history is known) say when each of its reactions stood.
 */
export type ReplayMessage = CachedMessage & { video_ms: number; reaction_spans?: ReactionSpan[] };

export type ReplayWindow = {
  /** Oldest → newest: up to `before` messages at or before `atMs`, then up to `after` messages past it. */
  messages: ReplayMessage[];
  /** How many messages of the whole replay are at or before `atMs`. */
  position: number;
  total: number;
  /** There are older messages than the first returned / newer ones than the last. */
  hasBefore: boolean;
  hasAfter: boolean;
};

export type ReplayHit = {
  client_id: string;
  video_ms: number;
  author: CachedMessage['author'];
  content: string;
};

const authorName = (m: CachedMessage) => `${m.author.first_name} ${m.author.last_name}`;

/**
 * One recording's chat, sorted by video time (server order breaking ties), in memory: a seek is two binary
 * searches and a slice, whatever the length of the live. Search text is folded once, at insertion.
 */
export class ReplayIndex {
  readonly #clock: ReplayClock;
  #entries: {
    at: number;
    order: number;
    message: ReplayMessage;
    text: string | null;
    author: string | null;
  }[] = [];
  /** The messages alone, in the same order: a window is one native slice of it. */
  #messages: ReplayMessage[] = [];
  readonly #byClientId = new Map<string, number>();

  constructor(clock: ReplayClock, messages: Iterable<CachedMessage>) {
    this.#clock = clock;
    for (const message of messages) {
      const entry = this.#entry(message);
      if (entry) this.#entries.push(entry);
    }
    this.#entries.sort((a, b) => a.at - b.at || a.order - b.order);
    this.#messages = this.#entries.map((entry) => entry.message);
    this.#reindex();
  }

  get size(): number {
    return this.#entries.length;
  }

  #entry(message: CachedMessage) {
    // Only what the server accepted has a server time to place; pending and rejected rows are local drafts.
    if (message.status !== 'sent' || message.server_id === null) return null;
    const at = messageVideoMs(message.created_at, this.#clock);
    if (at === null) return null;
    return {
      at,
      order: message.server_id,
      message: { ...message, video_ms: at },
      // Folded on the first search, not at opening: most replays are watched, not searched.
      text: null as string | null,
      author: null as string | null,
    };
  }

  #reindex(from = 0): void {
    for (let i = from; i < this.#entries.length; i++)
      this.#byClientId.set(this.#entries[i]!.message.client_id, i);
  }

  /** Index of the first entry strictly after `atMs` (= how many are at or before it). */
  #upperBound(atMs: number): number {
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#entries[mid]!.at <= atMs) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  window(atMs: number, before: number, after: number): ReplayWindow {
    const position = this.#upperBound(atMs);
    const start = Math.max(0, position - before);
    const end = Math.min(this.#entries.length, position + after);
    return {
      messages: this.#messages.slice(start, end),
      position,
      total: this.#entries.length,
      hasBefore: start > 0,
      hasAfter: end < this.#entries.length,
    };
  }

  /**
   * Messages whose text or author contains `query` (case and accents ignored), in video order: a scan of the
   * whole live, for while its full-text index is being built (chat-search.ts) and for queries without a word.
   */
  search(query: string, limit: number): { hits: ReplayHit[]; total: number } {
    const needle = foldForMatching(query).trim();
    if (needle.length === 0) return { hits: [], total: 0 };
    const hits: ReplayHit[] = [];
    let total = 0;
    for (const entry of this.#entries) {
      if (entry.message.deleted) continue;
      entry.text ??= foldForMatching(entry.message.content);
      entry.author ??= foldForMatching(authorName(entry.message));
      if (!entry.text.includes(needle) && !entry.author.includes(needle)) continue;
      total++;
      if (hits.length < limit) {
        const { client_id, video_ms, author, content } = entry.message;
        hits.push({ client_id, video_ms, author, content });
      }
    }
    return { hits, total };
  }

  /** The server times between which a message is placed in this recording (ISO, as the cache keeps them). */
  serverTimeRange(): { from: string; to: string } {
    const { startedAtMs, endedAtMs, serverClockOffsetMs } = this.#clock;
    const far = '9999-12-31T23:59:59.999Z';
    return {
      from: new Date(startedAtMs + serverClockOffsetMs).toISOString(),
      to: endedAtMs === null ? far : new Date(endedAtMs + serverClockOffsetMs).toISOString(),
    };
  }

  /** These messages (found by the full-text index, in time order) as hits, where they are placed. */
  hitsOf(clientIds: readonly string[]): ReplayHit[] {
    const hits: ReplayHit[] = [];
    for (const clientId of clientIds) {
      const position = this.#byClientId.get(clientId);
      if (position === undefined) continue;
      const { client_id, video_ms, author, content } = this.#entries[position]!.message;
      hits.push({ client_id, video_ms, author, content });
    }
    return hits;
  }

  /** Every placed message, in video order. */
  all(): ReplayMessage[] {
    return this.#messages.slice();
  }

  videoMsOf(clientId: string): number | null {
    const index = this.#byClientId.get(clientId);
    return index === undefined ? null : this.#entries[index]!.at;
  }

  /**
   * Applies rows the cache reports as changed (moderation, late arrivals): a known message is replaced where it
   * stands, a new one is inserted at its place. Cheap for the few changes a finished live still sees.
   */
  apply(messages: readonly CachedMessage[]): void {
    for (const message of messages) {
      const known = this.#byClientId.get(message.client_id);
      const entry = this.#entry(message);
      if (known !== undefined) {
        const current = this.#entries[known]!;
        if (entry && entry.at === current.at) {
          this.#entries[known] = entry;
          this.#messages[known] = entry.message;
          continue;
        }
        this.#entries.splice(known, 1);
        this.#messages.splice(known, 1);
        this.#byClientId.delete(message.client_id);
        this.#reindex(known);
      }
      if (!entry) continue;
      let low = 0;
      let high = this.#entries.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        const other = this.#entries[mid]!;
        if (other.at < entry.at || (other.at === entry.at && other.order < entry.order)) low = mid + 1;
        else high = mid;
      }
      this.#entries.splice(low, 0, entry);
      this.#messages.splice(low, 0, entry.message);
      this.#reindex(low);
    }
  }
}
