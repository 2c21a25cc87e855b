import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CachedMessage } from '../../../shared/wire';
import { checkDraft } from './composer-check';
import { initials } from './initials';
import { capMessages, mergeMessages, withoutMessage } from './merge-messages';

const author = { id: 1, first_name: 'Mariam', last_name: 'Diallo', profile_picture: null };

function message(n: number, overrides: Partial<CachedMessage> = {}): CachedMessage {
  return {
    client_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    live_id: 1,
    server_id: n,
    content: `message ${n}`,
    created_at: new Date(Date.UTC(2026, 10, 28, 10, 0, n)).toISOString(),
    author,
    status: 'sent',
    reason: null,
    hidden: false,
    deleted: false,
    held: false,
    version: n,
    type: 'text',
    reply_to: null,
    reply_to_client_id: null,
    reactions: [],
    ...overrides,
  };
}

describe('mergeMessages', () => {
  it('replaces a pending row in place when it is confirmed', () => {
    const pending = message(3, { status: 'pending', server_id: null });
    const list = [message(1), pending, message(2, { created_at: message(4).created_at })];
    const merged = mergeMessages(list, [{ ...pending, status: 'sent', server_id: 3 }]);
    expect(merged.map((m) => m.client_id)).toEqual(list.map((m) => m.client_id));
    expect(merged[1]?.status).toBe('sent');
  });

  it('returns the same array when nothing changed', () => {
    const list = [message(1)];
    expect(mergeMessages(list, [])).toBe(list);
  });

  it('whatever the order changes arrive in, every message appears once, in time order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 10 }), { maxLength: 8 }),
        (batches) => {
          let list: CachedMessage[] = [];
          for (const batch of batches)
            list = mergeMessages(
              list,
              batch.map((n) => message(n)),
            );
          const ids = list.map((m) => m.server_id);
          const expected = [...new Set(batches.flat())].sort((a, b) => a - b);
          expect(ids).toEqual(expected);
        },
      ),
    );
  });

  it('withoutMessage drops a discarded message only', () => {
    const list = [message(1), message(2)];
    expect(withoutMessage(list, list[0]!.client_id)).toEqual([list[1]]);
  });
});

describe('composer and avatar helpers', () => {
  it('counts characters as the server does and refuses 501', () => {
    expect(checkDraft('é'.repeat(500)).canSend).toBe(true);
    const over = checkDraft('a'.repeat(501));
    expect(over).toMatchObject({ tooLong: true, canSend: false, length: 501, showCounter: true });
    expect(checkDraft('   ').canSend).toBe(false);
    expect(checkDraft('hello').showCounter).toBe(false);
  });

  it('takes initials from both names, letters not code units', () => {
    expect(initials(author)).toBe('MD');
    expect(initials({ first_name: 'émile', last_name: '' })).toBe('É');
    expect(initials({ first_name: '𝒜lice', last_name: 'Zed' })).toBe('𝒜Z');
    expect(initials({ first_name: ' ', last_name: '' })).toBe('?');
  });
});

describe('capMessages', () => {
  it('keeps the newest messages once the pane is past its cap, in steps', () => {
    const list = Array.from({ length: 30 }, (_, i) => message(i + 1));
    expect(capMessages(list, 25).trimmed).toBe(false);
    const capped = capMessages(
      Array.from({ length: 1030 }, (_, i) => message(i + 1)),
      20,
    );
    expect(capped.trimmed).toBe(true);
    expect(capped.list.map((m) => m.server_id)).toEqual(Array.from({ length: 20 }, (_, i) => 1011 + i));
  });
});

describe('mergeMessages index hand-over', () => {
  it('stays correct when an old list is merged again after its index moved on', () => {
    const base = mergeMessages([], [message(1), message(2)]);
    const appended = mergeMessages(base, [message(3)]);
    // Merging into `base` again (its index was handed to `appended`) must still find message 2.
    const again = mergeMessages(base, [{ ...message(2), content: 'edited' }]);
    expect(again.map((m) => m.content)).toEqual(['message 1', 'edited']);
    expect(mergeMessages(appended, [message(3)]).map((m) => m.server_id)).toEqual([1, 2, 3]);
  });
});
