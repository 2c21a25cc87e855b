import type { Reaction } from './wire';

/**
 * One reaction's life on a recording's video time line (ms): given at `from_ms`, taken back at `to_ms` (null:
 * still standing at the end). The host places them (replay/reaction-timeline.ts); the renderer counts them at
 * the play head, so the counts move while the video plays without a call per moment.
 */
export type ReactionSpan = { emoji: string; from_ms: number; to_ms: number | null; mine: boolean };

/** The reactions that stood at `atMs`, in the order each emoji was first given (spans sorted by `from_ms`). */
export function reactionsAt(spans: readonly ReactionSpan[], atMs: number): Reaction[] {
  const counts = new Map<string, Reaction>();
  for (const span of spans) {
    if (span.from_ms > atMs) break;
    if (span.to_ms !== null && span.to_ms <= atMs) continue;
    const reaction = counts.get(span.emoji) ?? { emoji: span.emoji, count: 0, mine: false };
    reaction.count++;
    if (span.mine) reaction.mine = true;
    counts.set(span.emoji, reaction);
  }
  return [...counts.values()];
}
