import { describe, expect, it } from 'vitest';
import { isEmojiOnly } from './emoji';

describe('isEmojiOnly', () => {
  it('accepts emoji, sequences, flags, skin tones and keycaps', () => {
    for (const text of ['👍', '❤️', '👍🏽', '👩‍💻', '🇫🇷', '1️⃣', '🎉 🎉', '🏳️‍🌈'])
      expect(isEmojiOnly(text)).toBe(true);
  });
  it('refuses text, digits alone and empty strings', () => {
    for (const text of ['bravo', '👍 bravo', '12', '', ' ', 'é']) expect(isEmojiOnly(text)).toBe(false);
  });
});
