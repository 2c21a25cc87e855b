/**
 * "Only emoji" by Unicode properties, not by a hand list: each grapheme is a pictograph or an emoji-presentation
 * character, optionally joined (ZWJ sequences such as 👩‍💻), with variation selectors, skin tones, keycaps and
 * tag characters; a flag is a pair of regional indicators. Spaces between emoji are allowed.
 */
const EMOJI_ONLY =
  /^(?:(?:\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|(?:\p{Extended_Pictographic}|\p{Emoji_Presentation})[\uFE0E\uFE0F]?\p{Emoji_Modifier}?[\u{E0020}-\u{E007F}]*(?:\u200D(?:\p{Extended_Pictographic}|\p{Emoji_Presentation})[\uFE0E\uFE0F]?\p{Emoji_Modifier}?)*)\s*)+$/u;

export function isEmojiOnly(text: string): boolean {
  return EMOJI_ONLY.test(text.trim());
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A reaction: exactly one emoji (one grapheme, so a ZWJ family or a flag counts as one). */
export function isSingleEmoji(text: string): boolean {
  const trimmed = text.trim();
  if (!isEmojiOnly(trimmed)) return false;
  let count = 0;
  for (const _ of graphemes.segment(trimmed)) if (++count > 1) return false;
  return count === 1;
}
