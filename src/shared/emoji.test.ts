import { describe, expect, it } from 'vitest';
import { isEmojiOnly, isSingleEmoji } from './emoji';

describe('isEmojiOnly', () => {
  it('accepts emoji, sequences, flags, skin tones and keycaps', () => {
    for (const text of ['👍', '❤️', '👍🏽', '👩‍💻', '🇫🇷', '1️⃣', '🎉 🎉', '🏳️‍🌈'])
      expect(isEmojiOnly(text)).toBe(true);
  });
  it('refuses text, digits alone and empty strings', () => {
    for (const text of ['bravo', '👍 bravo', '12', '', ' ', 'é']) expect(isEmojiOnly(text)).toBe(false);
  });
});

describe('isSingleEmoji', () => {
  it('takes one emoji, a ZWJ sequence or a flag as one', () => {
    for (const text of ['👍', '👩‍👩‍👧', '🇫🇷', '❤️', ' 🎉 ']) expect(isSingleEmoji(text)).toBe(true);
  });
  it('refuses two emoji, text and nothing', () => {
    for (const text of ['👍👍', '🎉 🎉', 'ok', '', '👍 ok']) expect(isSingleEmoji(text)).toBe(false);
  });
});
