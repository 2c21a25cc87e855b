import { describe, expect, it } from 'vitest';
import { blockedTermsInput, moderationLogInput, pinInput, unpinInput } from './inputs';

describe('moderation inputs', () => {
  it('takes at most 2,000 blocked terms of at most 100 characters', () => {
    const terms = (n: number, length = 5) => Array.from({ length: n }, (_, i) => `t${i}`.padEnd(length, 'x'));
    expect(blockedTermsInput.safeParse({ postId: 1, terms: terms(2000, 100) }).success).toBe(true);
    expect(blockedTermsInput.safeParse({ postId: 1, terms: terms(2001) }).success).toBe(false);
    expect(blockedTermsInput.safeParse({ postId: 1, terms: terms(1, 101) }).success).toBe(false);
    expect(blockedTermsInput.safeParse({ postId: 1, terms: 'spam' }).success).toBe(false);
  });

  it('pages the log by 1 to 500 entries before a positive id', () => {
    expect(moderationLogInput.safeParse({ postId: 1 }).success).toBe(true);
    expect(moderationLogInput.safeParse({ postId: 1, limit: 500, beforeId: 7 }).success).toBe(true);
    expect(moderationLogInput.safeParse({ postId: 1, limit: 501 }).success).toBe(false);
    expect(moderationLogInput.safeParse({ postId: 1, limit: 0 }).success).toBe(false);
    expect(moderationLogInput.safeParse({ postId: 1, beforeId: -1 }).success).toBe(false);
  });

  it('pins by message id, unpins by live, reasons of at most 500 characters', () => {
    expect(pinInput.safeParse({ postId: 1, messageId: 2, reason: 'r' }).success).toBe(true);
    expect(pinInput.safeParse({ postId: 1 }).success).toBe(false);
    expect(unpinInput.safeParse({ postId: 1 }).success).toBe(true);
    expect(unpinInput.safeParse({ postId: 1, reason: 'x'.repeat(501) }).success).toBe(false);
  });
});
