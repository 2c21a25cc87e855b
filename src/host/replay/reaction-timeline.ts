import { type ReactionSpan, reactionsAt } from '../../shared/reaction-spans';
import { type ReplayClock, videoTimeAt } from '../../shared/replay-clock';
import type { Reaction } from '../../shared/wire';
import type { ReactionMoment } from '../db/reaction-history-store';

type Span = { emoji: string; userId: number; from: number; to: number | null };

/** A server time on the video's time line: before the recording is its first frame, after it is never. */
function onVideo(serverTimestamp: string, clock: ReplayClock): number | null {
  const localMs = Date.parse(serverTimestamp) - clock.serverClockOffsetMs;
  if (localMs < clock.startedAtMs) return 0;
  if (clock.endedAtMs !== null && localMs > clock.endedAtMs) return null;
  return videoTimeAt(localMs, clock.startedAtMs, clock.pauses);
}

/**
 * A live's reactions placed on the recording's time line (issue 16, ★): at any moment of a replay, each message
 * shows the reactions that stood then — given at or before it, not yet taken back — with the reader's own
 * marked. Built from the host's copy of the server's history, so it works offline.
 */
export class ReactionTimeline {
  readonly #byMessage = new Map<number, Span[]>();

  constructor(clock: ReplayClock, moments: Iterable<ReactionMoment>) {
    for (const moment of moments) {
      const from = onVideo(moment.givenAt, clock);
      if (from === null) continue; // given after the recording ended: never seen in it
      const to = moment.takenAt === null ? null : onVideo(moment.takenAt, clock);
      const spans = this.#byMessage.get(moment.messageServerId) ?? [];
      spans.push({ emoji: moment.emoji, userId: moment.userId, from, to });
      this.#byMessage.set(moment.messageServerId, spans);
    }
    for (const spans of this.#byMessage.values()) spans.sort((a, b) => a.from - b.from);
  }

  /** Whether the history knows this message (else its standing counts are all there is to show). */
  has(messageServerId: number): boolean {
    return this.#byMessage.has(messageServerId);
  }

  /** The message's reactions on the video's time line, sorted by when given, the reader's marked `mine`. */
  spans(messageServerId: number, readerId: number | null): ReactionSpan[] {
    return (this.#byMessage.get(messageServerId) ?? []).map((span) => ({
      emoji: span.emoji,
      from_ms: span.from,
      to_ms: span.to,
      mine: span.userId === readerId,
    }));
  }

  /** The message's reactions at `atMs` of the video. */
  at(messageServerId: number, atMs: number, readerId: number | null): Reaction[] {
    return reactionsAt(this.spans(messageServerId, readerId), atMs);
  }
}
