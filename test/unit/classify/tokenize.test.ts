import { describe, expect, it } from 'vitest';
import {
  analyse,
  foldedWords,
  MAX_CHARS,
  MENTION_TOKEN,
  URL_TOKEN,
} from '../../../shared/classify/tokenize.ts';

describe('analyse', () => {
  it('folds French and English the same way: lower case, no accents, elisions split', () => {
    expect(foldedWords("J'AIME l'Été, qu'il vienne")).toEqual([
      'j',
      'aime',
      'l',
      'ete',
      'qu',
      'il',
      'vienne',
    ]);
    expect(foldedWords('Œuvre déjà vue')).toEqual(['oeuvre', 'deja', 'vue']);
  });

  it('keeps the English "n\'t" on its verb', () => {
    expect(foldedWords("I don't know, it can't be, it's fine")).toEqual([
      'i',
      'dont',
      'know',
      'it',
      'cant',
      'be',
      'it',
      's',
      'fine',
    ]);
  });

  it('notes a French inverted question and splits the hyphen', () => {
    const a = analyse('Pouvez-vous m’aider ? Y a-t-il une solution');

    expect(a.frenchInversion).toBeGreaterThanOrEqual(2);
    expect(a.words.slice(0, 2)).toEqual(['pouvez', 'vous']);
  });

  it('undoes leetspeak inside a word, cuts letter runs to two, writes numbers as zeros', () => {
    const a = analyse('c0nnard nuuuuul 12 jours');

    expect(a.words).toEqual(['connard', 'nuul', '00', 'jours']);
    expect(a.elongated).toBeGreaterThan(0);
  });

  it('replaces links and mentions by placeholders and counts them', () => {
    const a = analyse('@support see https://example.com/x or www.shop.fr, mail me at a.b@c.io');

    expect(a.words).toContain(URL_TOKEN);
    expect(a.words).toContain(MENTION_TOKEN);
    expect(a.urls).toBe(2);
    expect(a.mentions).toBe(1);
    expect(a.emails).toBe(1);
    expect(a.leadingMention).toBe(true);
  });

  it('keeps emoji as words of their own, skin tones and variation selectors dropped', () => {
    const a = analyse('top ❤️👍🏽');

    expect(a.emoji).toEqual(['❤', '👍']);
    expect(a.words).toEqual(['top', '❤', '👍']);
  });

  it('marks the words that open a clause', () => {
    const a = analyse('ok. Why is it late? Still nothing');
    const openers = a.words.filter((_, i) => a.clauseStart[i]);

    expect(openers).toEqual(['ok', 'why', 'still']);
    expect(a.questionMarks).toBe(1);
    expect(a.endsWithQuestion).toBe(false);
  });

  it('counts capitals, shouted words and the longest run of digits', () => {
    const a = analyse('CALL ME NOW 06 12 34 56 78');

    expect(a.shouted).toBe(2);
    expect(a.longestDigitRun).toBeGreaterThanOrEqual(10);
  });

  it('reads a very long comment up to MAX_CHARS only', () => {
    const a = analyse('word '.repeat(MAX_CHARS));

    expect(a.words.length).toBeLessThanOrEqual(MAX_CHARS / 5 + 1);
  });

  it('gives no words for an empty text', () => {
    expect(analyse('').words).toEqual([]);
  });
});
