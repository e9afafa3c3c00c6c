import { LANGUAGES as LANGS, LANGUAGE_WORDS } from './lexicons.generated.ts';
import { type Analysis, analyse } from './tokenize.ts';

export interface LanguageGuess {
  /** ISO 639-1, or `und`. */
  language: string;
  confidence: number;
}

/**
 * Function words per language, plus the valence words of AFINN-165 (en) and its French translation
 * at half weight: short comments are mostly function words, which is why a small list tells French
 * from English better than letter statistics do on five-word texts. The lists live in
 * `lexicons/function-words.txt`; the table read here is folded ahead of time into `lexicons.generated.ts`.
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

const NON_ASCII = /[\u00a1-\u00ff\u0153]/;

/** Letters that belong to one language more than the others. */
const MARKS: Array<[RegExp, string, number]> = [
  [/[àâçèêëîïôûùœ]/g, 'fr', 1.5],
  [/[ñ¿¡]/g, 'es', 2],
  [/[äöüß]/g, 'de', 2],
  [/[ãõ]/g, 'pt', 2],
];

/** Evidence a caller's language hint adds: about one function word's worth. */
const HINT_EVIDENCE = 0.75;
/** Confidence of a guess from the margin between the best and the second language. */
const BASE_CONFIDENCE = 0.35;
const MARGIN_CONFIDENCE = 0.7;
const MAX_CONFIDENCE = 0.99;
/** Accented letters count up to this many times each: a French name in an English text is not French. */
const MAX_MARK_HITS = 3;
/** A script other than Latin decides when it has more than this share of the letters. */
const SCRIPT_SHARE = 0.5;

/**
 * `analysis` is the comment as `analyse` gives it, when the caller already has it (the engine does):
 * its folded words and letter counts spare a second pass over the same text.
 */
export function detectLanguage(text: string, hint?: string, analysis?: Analysis): LanguageGuess {
  const a = analysis ?? analyse(text);
  const letters = a.letters;
  if (letters < 2) return { language: hint ?? 'und', confidence: hint ? 0.5 : 0 };
  const clean = text.toLowerCase();
  const script = a.nonLatin > 0 ? scriptLanguage(clean, letters) : undefined;
  if (script) return script;
  const scores = new Float64Array(LANGS.length);
  const words = a.words;
  const table = languageWeights();
  for (const w of words) {
    const pairs = table.get(w);
    if (!pairs) continue;
    for (let k = 0; k < pairs.length; k += 2) {
      const li = pairs[k] as number;
      scores[li] = (scores[li] as number) + (pairs[k + 1] as number);
    }
  }
  if (NON_ASCII.test(clean)) {
    for (const [re, lang, s] of MARKS) {
      const n = clean.match(re)?.length ?? 0;
      const li = LANGS.indexOf(lang);
      if (n) scores[li] = (scores[li] as number) + s * Math.min(n, MAX_MARK_HITS);
    }
  }
  const hinted = hint ? LANGS.indexOf(hint) : -1;
  if (hinted >= 0) scores[hinted] = (scores[hinted] as number) + HINT_EVIDENCE;
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
  return {
    language: LANGS[best] as string,
    confidence: Math.min(MAX_CONFIDENCE, BASE_CONFIDENCE + margin * MARGIN_CONFIDENCE),
  };
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
    if (n / letters > SCRIPT_SHARE) return { language: lang, confidence: 0.9 };
  }
  return undefined;
}
