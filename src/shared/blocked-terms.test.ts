import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBlockedTerms, foldForMatching, normalizeBlockedTerms } from './blocked-terms';

describe('blocked terms', () => {
  const matcher = compileBlockedTerms(['Spam', 'gros mot', '💩', 'arnaque']);

  it('holds a message containing a term, whatever its case, accents or width', () => {
    expect(matcher.blocks('Achetez du SPÂM ici')).toBe(true);
    expect(matcher.blocks('ｓｐａｍ')).toBe(true);
    expect(matcher.blocks('quel GROS   Mot !')).toBe(true);
    expect(matcher.blocks('ARNAQUÉ')).toBe(true);
    expect(matcher.blocks('arnaques')).toBe(false);
    expect(matcher.blocks('une arnaque, une vraie')).toBe(true);
  });

  it('matches whole words only, but symbols and emoji anywhere', () => {
    expect(matcher.blocks('spammer')).toBe(false);
    expect(matcher.blocks('antispam')).toBe(false);
    expect(matcher.blocks('lol💩lol')).toBe(true);
    expect(matcher.blocks('(spam)')).toBe(true);
  });

  it('decides word edges on whole characters: a letter beyond U+FFFF (two string positions) joins a word', () => {
    expect(matcher.blocks('𠀀spam')).toBe(false);
    expect(matcher.blocks('spam𠀀')).toBe(false);
    expect(matcher.blocks('𠀀 spam 𠀀')).toBe(true);
    expect(matcher.blocks('💩spam💩')).toBe(true);
  });

  it('lists the distinct terms found, in order of appearance', () => {
    expect(matcher.found('arnaque et spam, encore du spam')).toEqual(['arnaque', 'spam']);
    expect(matcher.found('bonjour à tous')).toEqual([]);
  });

  it('an empty list holds nothing', () => {
    const none = compileBlockedTerms(['', '   ']);
    expect(none.terms).toEqual([]);
    expect(none.blocks('spam')).toBe(false);
  });

  it('normalizes a typed list: folded, trimmed, deduplicated, in order', () => {
    expect(normalizeBlockedTerms([' Spam ', 'SPAM', 'Écran', '', 'ecran', 'b'])).toEqual([
      'spam',
      'ecran',
      'b',
    ]);
    expect(foldForMatching('Ça  VA\t?')).toBe('ca va ?');
  });

  it('finds any term placed between other words (property)', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 30 }),
        word,
        word,
        fc.nat(),
        (terms, a, b, pick) => {
          const term = terms[pick % terms.length]!;
          const m = compileBlockedTerms(terms);
          expect(m.blocks(`${a} ${term.toUpperCase()} ${b}`)).toBe(true);
          expect(m.found(`${a} ${term} ${b}`)).toContain(term);
        },
      ),
    );
  });

  it('holds nothing when no term occurs, even as a substring (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-m]{2,6}$/), { minLength: 1 }),
        fc.stringMatching(/^[n-z ]{0,80}$/),
        (terms, text) => {
          expect(compileBlockedTerms(terms).blocks(text)).toBe(false);
        },
      ),
    );
  });
});
