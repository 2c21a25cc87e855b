import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatEvent } from '../../shared/wire';
import type { HubEvent } from './hub-events';
import { REACTION_WINDOW_MS, ReactionWindow } from './reaction-window';

/** A hub event of message `id` at `version`; only its id, version and `reactionsOnly` matter to the window. */
function event(id: number, version: number, reactionsOnly: boolean): HubEvent {
  const form = { type: 'message', version, message: { id } } as unknown as ChatEvent;
  return { version, staff: form, viewer: form, reactionsOnly };
}
const reaction = (id: number, version: number) => event(id, version, true);
const plain = (id: number, version: number) => event(id, version, false);

describe('the reaction window (one live, before the fan-out)', () => {
  let sent: { at: number; versions: number[] }[];
  let window: ReactionWindow;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    window = new ReactionWindow(
      (events) => sent.push({ at: Date.now(), versions: events.map((e) => e.version) }),
      REACTION_WINDOW_MS,
      () => Date.now(),
    );
  });
  afterEach(() => {
    window.close();
    vi.useRealTimers();
  });

  it('sends a lone reaction at once, then the newest state of a burst once per window', () => {
    const start = Date.now();
    window.offer([reaction(1, 10)]);
    expect(sent).toEqual([{ at: start, versions: [10] }]);
    // 1,000 reactions a second for 1 s: one every millisecond, each a read of its own.
    for (let v = 11; v <= 1010; v++) {
      vi.advanceTimersByTime(1);
      window.offer([reaction(1, v)]);
    }
    vi.advanceTimersByTime(REACTION_WINDOW_MS);
    expect(sent.length).toBeLessThanOrEqual(1000 / REACTION_WINDOW_MS + 2);
    expect(sent.at(-1)!.versions).toEqual([1010]);
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(REACTION_WINDOW_MS);
      expect(sent[i]!.versions[0]!).toBeGreaterThan(sent[i - 1]!.versions.at(-1)!);
    }
    expect(window.heldFrom()).toBeNull();
  });

  it('never holds anything else, and lets nothing held be overtaken by it', () => {
    window.offer([reaction(1, 10)]);
    window.offer([reaction(1, 11), reaction(2, 12)]);
    expect(window.heldFrom()).toBe(11);
    window.offer([reaction(1, 13), plain(3, 14), reaction(1, 15)]);
    // The plain message went out in the same call, after the held states (1@13 replaced 1@11), in version order.
    expect(sent.map((s) => s.versions)).toEqual([[10], [12, 13, 14]]);
    expect(window.heldFrom()).toBe(15);
    vi.advanceTimersByTime(REACTION_WINDOW_MS);
    expect(sent.map((s) => s.versions)).toEqual([[10], [12, 13, 14], [15]]);
  });

  it('a hide or a new message goes out at once even within the window, and starts one', () => {
    window.offer([reaction(1, 10)]);
    window.offer([plain(1, 11)]);
    window.offer([plain(2, 12)]);
    expect(sent.map((s) => s.versions)).toEqual([[10], [11], [12]]);
    // A message the hub did not know yet (its first change is not reactions-only), then its reactions.
    vi.advanceTimersByTime(REACTION_WINDOW_MS * 2);
    window.offer([plain(3, 13)]);
    window.offer([reaction(3, 14)]);
    expect(sent.map((s) => s.versions)).toEqual([[10], [11], [12], [13]]);
    vi.advanceTimersByTime(REACTION_WINDOW_MS);
    expect(sent.at(-1)!.versions).toEqual([14]);
  });

  it('drops what it holds once closed', () => {
    window.offer([reaction(1, 10), reaction(1, 11)]);
    window.close();
    vi.advanceTimersByTime(REACTION_WINDOW_MS * 2);
    expect(sent.map((s) => s.versions)).toEqual([[10]]);
  });
});
