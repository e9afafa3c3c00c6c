import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'classify');
const sources = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.generated.ts'))
  .map((f) => [f, readFileSync(join(DIR, f), 'utf8')] as const);

/** Regular-expression literals: a slash, no space or slash right after, up to the closing slash and flags. */
const REGEX_LITERAL = /(?<![\w)\]])\/(?![*/\s])(?:\\.|\[(?:\\.|[^\]\\])*\]|[^/\\\n])+\/[dgimsuvy]*/g;
/** Issue 14: no regular expression over 200 characters. */
const MAX_REGEX = 200;
/** A string of this many words or more is a word list: it belongs in lexicons/*.txt. */
const WORD_LIST_WORDS = 12;

describe('the classifier code', () => {
  it.each(sources)('%s has no regular expression over 200 characters', (_, text) => {
    const long = (text.match(REGEX_LITERAL) ?? []).filter((re) => re.length > MAX_REGEX);

    expect(long).toEqual([]);
  });

  it.each(sources)('%s keeps its word lists in data files', (_, text) => {
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    const strings = code.match(/'[^'\n]*'|"[^"\n]*"/g) ?? [];
    const lists = strings.filter((s) => {
      const words = s.slice(1, -1).split(/[\s|,]+/);
      return words.length >= WORD_LIST_WORDS && words.every((w) => /^[\p{Ll}*'-]+$/u.test(w));
    });

    expect(lists).toEqual([]);
  });
});
