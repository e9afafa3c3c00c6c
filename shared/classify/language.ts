import { LANGUAGES as LANGS, LANGUAGE_WORDS } from './lexicons.generated.ts';
import { countLetters, stripAccents, stripNoise } from './normalize.ts';

export interface LanguageGuess {
  /** ISO 639-1, or `und`. */
  language: string;
  confidence: number;
}

/**
 * Function words per language, plus the valence words of AFINN-165 (en) and its French translation
 * at half weight: short comments are mostly function words, which is why a small list tells French
 * from English better than letter statistics do on five-word texts. The lists live in
 * `lexicon-sources.ts`; the table read here is folded ahead of time into `lexicons.generated.ts`.
 */
let weights: Map<string, readonly number[]> | undefined;

/** Per word: flat pairs of (index into LANGUAGES, evidence). Built on first use, shared per weight group. */
function languageWeights(): Map<string, readonly number[]> {
  if (weights) return weights;
  const map = new Map<string, readonly number[]>();
  for (const [signature, words] of Object.entries(LANGUAGE_WORDS)) {
    const pairs: number[] = [];
    for (const part of signature.split(',')) {
      const [li, w] = part.split(':');
      pairs.push(Number(li), Number(w));
    }
    for (const word of words.split(' ')) map.set(word, pairs);
  }
  weights = map;
  return map;
}

/** Past Latin-1 and Latin Extended: a script other than Latin may be there. */
const NON_LATIN1 = /[^\t\n\r -\u024f]/;

/** Letters that belong to one language more than the others. */
const MARKS: Array<[RegExp, string, number]> = [
  [/[àâçèêëîïôûùœ]/g, 'fr', 1.5],
  [/[ñ¿¡]/g, 'es', 2],
  [/[äöüß]/g, 'de', 2],
  [/[ãõ]/g, 'pt', 2],
];

/**
 * `content` is the text with links and mentions removed, and `folded` its words as `tokens(fold(content))`
 * gives them, when the caller already has them (the engine does): they spare a second lower-casing,
 * accent stripping and split of the same text.
 */
export function detectLanguage(
  text: string,
  hint?: string,
  content?: string,
  folded?: readonly string[],
): LanguageGuess {
  const clean = (content ?? stripNoise(text)).toLowerCase();
  const { letters } = countLetters(clean);
  if (letters < 2) return { language: hint ?? 'und', confidence: hint ? 0.5 : 0 };
  const ascii = !NON_LATIN1.test(clean);
  const script = ascii ? undefined : scriptLanguage(clean, letters);
  if (script) return script;
  const scores = new Float64Array(LANGS.length);
  // Plain ASCII lower case has only a-z for letters: a non-Unicode split gives the same words, faster.
  const plain = ascii && !/[\u0080-\u00ff]/.test(clean);
  const words = folded ?? (plain ? clean.split(/[^a-z]+/) : stripAccents(clean).split(/[^\p{L}]+/u));
  const table = languageWeights();
  for (const w of words) {
    const pairs = table.get(w);
    if (!pairs) continue;
    for (let k = 0; k < pairs.length; k += 2) {
      const li = pairs[k] as number;
      scores[li] = (scores[li] as number) + (pairs[k + 1] as number);
    }
  }
  if (/[\u00a1-\u00ff\u0153]/.test(clean)) {
    for (const [re, lang, s] of MARKS) {
      const n = clean.match(re)?.length ?? 0;
      const li = LANGS.indexOf(lang);
      if (n) scores[li] = (scores[li] as number) + s * Math.min(n, 3);
    }
  }
  const hinted = hint ? LANGS.indexOf(hint) : -1;
  if (hinted >= 0) scores[hinted] = (scores[hinted] as number) + 0.75;
  let best = -1;
  let second = 0;
  for (let li = 0; li < scores.length; li++) {
    const v = scores[li] as number;
    if (best < 0 || v > (scores[best] as number)) {
      if (best >= 0) second = Math.max(second, scores[best] as number);
      best = li;
    } else second = Math.max(second, v);
  }
  const top = best >= 0 ? (scores[best] as number) : 0;
  if (top <= 0) return { language: hint ?? 'und', confidence: hint ? 0.4 : 0 };
  const margin = (top - second) / (top + 1);
  return { language: LANGS[best] as string, confidence: Math.min(0.99, 0.35 + margin * 0.7) };
}

function scriptLanguage(text: string, letters: number): LanguageGuess | undefined {
  const checks: Array<[RegExp, string]> = [
    [/[\u0600-\u06ff]/g, 'ar'],
    [/[\u0400-\u04ff]/g, 'ru'],
    [/[\u3040-\u30ff]/g, 'ja'],
    [/[\u4e00-\u9fff]/g, 'zh'],
    [/[\uac00-\ud7af]/g, 'ko'],
    [/[\u0590-\u05ff]/g, 'he'],
    [/[\u0e00-\u0e7f]/g, 'th'],
    [/[\u0900-\u097f]/g, 'hi'],
    [/[\u0370-\u03ff]/g, 'el'],
  ];
  for (const [re, lang] of checks) {
    const n = text.match(re)?.length ?? 0;
    if (n / letters > 0.5) return { language: lang, confidence: 0.9 };
  }
  return undefined;
}
