import AhoCorasick from 'modern-ahocorasick';

/**
 * Blocked terms (issue 7): a live's list of words or phrases whose messages are held for review instead of
 * published. Pure code (no Node, no DOM) so that the chat server calls it on every send, and the host and the
 * renderer can preview what a list would catch. One Aho–Corasick automaton per list: checking a message costs
 * one pass over its text, whatever the number of terms.
 */
export const BLOCKED_TERMS_MAX = 2000;
export const BLOCKED_TERM_MAX_LENGTH = 100;

/**
 * Case, accents and look-alike forms do not dodge the list: "Spam", "SPÂM" and "ｓｐａｍ" all read as "spam".
 * Applied to the terms and to the message alike.
 */
export function foldForMatching(text: string): string {
  // Most chat is plain ASCII: skip Unicode normalization (the costly part) when there is nothing to fold.
  let folded = NON_ASCII.test(text) ? text.normalize('NFKD').replace(COMBINING_MARKS, '') : text;
  folded = folded.toLowerCase();
  return ODD_SPACING.test(folded) ? folded.replace(SPACE_RUNS, ' ') : folded;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is exactly the range \x00–\x7f.
const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}/gu;
/** Two spaces in a row, or any whitespace other than a plain space. */
const ODD_SPACING = /\s{2}|[^\S ]/u;
const SPACE_RUNS = /\s+/gu;

/** Cleans a list typed by a moderator: folded, trimmed, empty and duplicate entries dropped, order kept. */
export function normalizeBlockedTerms(terms: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const raw of terms) {
    const term = foldForMatching(raw).trim();
    if (term.length > 0 && !seen.has(term)) seen.add(term);
  }
  return [...seen];
}

export type BlockedTermsMatcher = {
  /** The folded terms this matcher was built from. */
  readonly terms: readonly string[];
  /** True when the text contains at least one term (stops at the first hit). */
  blocks(text: string): boolean;
  /** The distinct terms found in the text, in the order they appear (for the moderator's review queue). */
  found(text: string): string[];
};

const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const isWord = (character: string | undefined) => character !== undefined && WORD_CHARACTER.test(character);

/**
 * A term may not start or end inside a word: only a letter/digit beside a letter/digit joins them. Checked on
 * the (rare) hits rather than through the library's boundary callback, which would slow every scan ~8×.
 */
function atWordEdges(text: string, hit: { start: number; end: number }): boolean {
  if (isWord(characterAt(text, hit.start)) && isWord(characterBefore(text, hit.start))) return false;
  if (isWord(characterBefore(text, hit.end)) && isWord(characterAt(text, hit.end))) return false;
  return true;
}

/** The whole character (code point) starting at `index`: a letter beyond U+FFFF takes two string positions. */
function characterAt(text: string, index: number): string | undefined {
  const code = text.codePointAt(index);
  return code === undefined ? undefined : String.fromCodePoint(code);
}

/** The whole character ending just before `index` (both halves of a surrogate pair). */
function characterBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const unit = text.charCodeAt(index - 1);
  const lowSurrogate = unit >= 0xdc00 && unit <= 0xdfff;
  return text.slice(lowSurrogate && index >= 2 ? index - 2 : index - 1, index);
}

/**
 * Builds the matcher for one list. Terms match whole words only ("ass" does not hold "classic"), with word
 * edges decided per Unicode letter/digit class, so accented French words and emoji-only terms both work.
 */
export function compileBlockedTerms(terms: readonly string[]): BlockedTermsMatcher {
  const folded = normalizeBlockedTerms(terms);
  if (folded.length === 0) return { terms: folded, blocks: () => false, found: () => [] };
  const automaton = new AhoCorasick(folded);
  return {
    terms: folded,
    blocks: (text) => {
      const subject = foldForMatching(text);
      // Most messages hold no term at all: one scan that stops at the first candidate says so.
      if (!automaton.match(subject)) return false;
      for (const hit of automaton.iterate(subject)) if (atWordEdges(subject, hit)) return true;
      return false;
    },
    found: (text) => {
      const subject = foldForMatching(text);
      const hits = automaton.search(subject).filter((hit) => atWordEdges(subject, hit));
      hits.sort((a, b) => a.start - b.start || b.end - a.end);
      return [...new Set(hits.map((hit) => hit.pattern))];
    },
  };
}
