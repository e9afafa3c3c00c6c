import type { Sentiment, SentimentScores } from '../domain/classification.ts';
import { Lexicon, wordSet } from './lexicon.ts';
import { VALENCE_EN, VALENCE_FR } from './lexicons.generated.ts';
import { fold, stripNoise, tokens } from './normalize.ts';

/**
 * Valence from -3 to +3, one lexicon per language family ("sale" is dirty in French and a bargain in
 * English): AFINN-165 (scaled) and its French translation, then the words written for this project,
 * which win. The lists are in `lexicon-sources.ts`, folded ahead of time into `lexicons.generated.ts`;
 * each lexicon is built on first use, so an English-only workload never builds the French one.
 */
let valenceEn: Lexicon<number> | undefined;
let valenceFr: Lexicon<number> | undefined;

function valence(language: string): Lexicon<number> {
  if (language === 'fr') {
    valenceFr ??= Lexicon.fromCompiled(VALENCE_FR);
    return valenceFr;
  }
  valenceEn ??= Lexicon.fromCompiled(VALENCE_EN);
  return valenceEn;
}

const LIKE_SUBJECT = wordSet(
  'i we you they u ya yall people everyone everybody really totally truly so also still do does did dont didnt doesnt t would d ll',
);

const HASHTAG = /#(\p{L}{3,})/gu;

const NEGATORS = wordSet(
  "not no never n't dont doesnt didnt isnt wasnt arent cant cannot wont wouldnt shouldnt couldnt without nothing nobody ne pas jamais plus rien aucun aucune sans ni nicht kein keine nie",
);
const INTENSIFIERS = wordSet(
  'very so really too extremely super totally tres trop vraiment tellement hyper grave sehr muy',
);

const POSITIVE_EMOJI =
  /[😀-😍😘😊☺🙂🤗🥰😻❤💕💖💗💙💚💛💜🧡♥👍👏🙌🎉✨🔥💯⭐🌟🥳😎💓💘💝💞🤣😋😛😜😝🙏👌✌💪🎊🎶😇🤩😺😸💐🌹]|[:;=]-?[)D]|<3/gu;
const NEGATIVE_EMOJI = /[😞😟😠😡🤬😢😭😩😫😤👎💔🙄😒😔😕☹🙁😣😖🤮🤢💩😪😓😰😱😨😥😦😧😾😿]|[:;=]-?\(|:'\(/gu;
/** The "n't" of "can't", "don't": the tokenizer leaves it as a lone "t" after the verb stem. */
const NT_STEMS = wordSet(
  'can don won isn didn doesn wasn aren couldn shouldn wouldn haven hasn hadn weren ain mustn needn',
);

/** Words that join a good and a bad side in one comment: without one, two strong sides are not "mixed". */
const CONTRAST = wordSet(
  'but though although however except yet whereas mais pourtant cependant sauf quoique toutefois neanmoins',
);

export interface SentimentResult {
  label: Sentiment;
  scores: SentimentScores;
  confidence: number;
  /** Summed positive and negative evidence, kept for the intent rules. */
  pos: number;
  neg: number;
  /** Whether the comment joins two sides with a contrast word ("but", "mais"). */
  contrast: boolean;
  calibration: Calibration;
}

/** How much evidence a comment needs to leave neutral, per language. */
export interface Calibration {
  /** The weight of "no stance" that the positive and negative masses are set against. */
  neutralMass: number;
  /** Whether a polar side that exactly ties the neutral mass (one AFINN ±2 word alone) wins. */
  polarOnTie: boolean;
}

/**
 * English: one clearly evaluative word leaves neutral (the tie goes to the polar side). French: the
 * neutral mass was set on the French sentiment examples written for this project
 * (eval/corpus/sentiment.fr.*.jsonl; macro-F1 0.58 at 1.2, 0.61 from 0.6 to 0.9): a French comment
 * states its stance with fewer listed words than an English one, so less evidence is asked of it.
 */
export const CALIBRATION: Record<'en' | 'fr', Calibration> = {
  en: { neutralMass: 1.2, polarOnTie: true },
  fr: { neutralMass: 0.8, polarOnTie: false },
};

export function scoreSentiment(text: string, toks: readonly string[], language = 'en'): SentimentResult {
  const VALENCE = valence(language);
  let pos = 0;
  let neg = 0;
  // French news of a change: "baisse du chômage" is good news, "baisse du budget" bad; the change word
  // and its noun are read together, and neither then counts on its own.
  const trend = language === 'fr' ? frenchTrends(toks) : undefined;
  if (trend) {
    pos += trend.pos;
    neg += trend.neg;
  }
  // A negator reaches the words of its own sentence only: "Not kidding. Grateful." praises. The
  // sentences are found on the first negator met, so a comment without one never splits its text.
  let sentence: number[] | undefined | null = null;
  const sameSentence = (j: number, i: number): boolean => {
    if (sentence === null) sentence = sentencesOf(text, toks);
    return !sentence || sentence[j] === sentence[i];
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    if (trend?.read.has(i)) continue;
    // "like" is a verb of liking only after its subject or an adverb ("I like", "really like"); otherwise
    // it is the preposition or the filler of "just like a …", "he was like", "looks like rain".
    if (t === 'like' && !LIKE_SUBJECT.has(toks[i - 1] ?? '')) continue;
    // The "plus" closing "ne … plus" is the negation, not the "more" of the translated list.
    if (t === 'plus' && frenchNegation(toks, i - 1)) continue;
    // "bien triste", "super déçu": before another verdict, "bien" and "super" are degree words, not praise.
    if (language === 'fr' && (t === 'bien' || t === 'super') && hasValence(VALENCE, toks[i + 1])) continue;
    // English praise idiom, whether or not the verb has a valence of its own: "she killed it on stage",
    // "smashing it at work".
    if (language !== 'fr' && toks[i + 1] === 'it' && DID_IT_WELL.has(t)) {
      pos += 2;
      continue;
    }
    const v = valenceOf(VALENCE, t, language);
    if (v === undefined) continue;
    let w = v;
    const p1 = toks[i - 1];
    const p2 = toks[i - 2];
    if ((p1 && INTENSIFIERS.has(p1)) || (p2 && INTENSIFIERS.has(p2)) || (language === 'fr' && p1 === 'bien'))
      w *= 1.5;
    // French "ne … pas" puts "pas" after the verb; English puts the negator before it.
    // "can't wait" is eagerness, not a complaint about waiting (an idiom VADER also special-cases).
    if (t === 'wait' && (p1 === 'cant' || (p1 === 't' && p2 === 'can'))) {
      pos += 2;
      continue;
    }
    // Litotes: "pas mal", "not bad" praise mildly, where a flipped and dampened "bad" would be faint.
    // "pas mal de" / "pas mal pire" is a quantity ("quite a lot", Québec "much worse"), not praise.
    // French "pas terrible" is the opposite: mediocre, a polite way to say bad.
    if (p1 === 'pas' && t === 'terrible') {
      neg += 1.5;
      continue;
    }
    if ((p1 === 'pas' || p1 === 'not') && LITOTES.has(t) && !QUANTITY_AFTER.has(toks[i + 1] ?? '')) {
      pos += 1.5;
      continue;
    }
    const negated =
      (negatorAt(toks, i - 1) && sameSentence(i - 1, i)) ||
      (negatorAt(toks, i - 2) && sameSentence(i - 2, i)) ||
      (negatorAt(toks, i - 3) && sameSentence(i - 3, i)) ||
      (toks[i + 1] === 'pas' && sameSentence(i + 1, i)) ||
      frenchNegation(toks, i);
    // "never disappoints", "no regrets", "can't complain": a disappointment denied is praise, not a faint
    // plus; "couldn't be happier", "doesn't get better" is the superlative.
    if (negated && (DENIED_DISAPPOINTMENT.has(t) || (UNBEATEN.has(t) && (p1 === 'be' || p1 === 'get')))) {
      pos += 1.5;
      continue;
    }
    if (negated) w = w > 0 ? -w * 0.8 : -w * 0.3;
    if (w > 0) pos += w;
    else neg -= w;
  }
  // Hashtags are taken out with the links before the words are read, yet "#fail" or "#blessed" is
  // the author's own verdict: a tag that is one valence word counts like that word.
  if (text.includes('#')) {
    for (const m of text.matchAll(HASHTAG)) {
      const v = VALENCE.get(fold(m[1] as string));
      if (v === undefined) continue;
      if (v > 0) pos += v;
      else neg -= v;
    }
  }
  // English "!!" with no word of either side is excitement ("We're going to Wembley!!!", "GOT
  // TICKETS!!!"): in our English examples every comment with "!!" was positive. French showed no gain.
  if (language !== 'fr' && pos === 0 && neg === 0 && /!{2,}/.test(text)) pos += EXCITED;
  pos += (text.match(POSITIVE_EMOJI)?.length ?? 0) * 1.5;
  neg += (text.match(NEGATIVE_EMOJI)?.length ?? 0) * 1.5;
  // An English comment that ends on a question, with no "!", asks rather than judges: its good words
  // are mostly what it asks about ("what's the best VPN?", "is it worth it?", "who's your favourite?").
  // The factor was chosen on our English examples (0.5 → 0.2 best there); French showed no such gain.
  if (language !== 'fr' && ENDS_ON_QUESTION.test(text) && !text.includes('!')) pos *= ASKED_ABOUT;
  if (/!{2,}/.test(text)) {
    if (pos > neg) pos += 0.5;
    else if (neg > pos) neg += 0.5;
  }
  return toResult(
    pos,
    neg,
    toks.some((t) => CONTRAST.has(t)),
    language === 'fr' ? CALIBRATION.fr : CALIBRATION.en,
  );
}

/**
 * French spells many plain words with a doubled letter ("ville", "salle", "année", "comme"): squeezed,
 * they would meet other entries ("vile", "sale"), so a French word is only read as written; the
 * squeezed key is for stretched English ("loooove").
 */
function valenceOf(lex: Lexicon<number>, t: string, language: string): number | undefined {
  if (language === 'fr') return lex.getWritten(t) ?? inflected(lex, t, language);
  return lex.get(t) ?? inflected(lex, t, language);
}

/**
 * The lists hold one form of most words ("bother", "degrade", "décevant"); an inflected form meets it
 * once a regular ending is taken off: French plural and feminine -s/-x/-e/-es, adverbs in -ment.
 * Only words of five letters or more, so short function words never turn into valence words.
 */
function inflected(lex: Lexicon<number>, t: string, language: string): number | undefined {
  if (t.length < 5) return undefined;
  // English showed no gain from the same on half A: AFINN already lists most English inflections.
  if (language !== 'fr') return undefined;
  const tries = [
    t.endsWith('es') ? t.slice(0, -2) : '',
    /[sxe]$/.test(t) ? t.slice(0, -1) : '',
    t.endsWith('ment') ? t.slice(0, -4) : '',
    // The verb's third person plural: "adorent", "détestent" meet "adore", "déteste".
    t.endsWith('ent') && !t.endsWith('ment') ? t.slice(0, -2) : '',
    // The imperfect: "aimait", "adoraient" meet "aime", "adore".
    t.endsWith('aient') ? `${t.slice(0, -5)}e` : t.endsWith('ait') ? `${t.slice(0, -3)}e` : '',
  ];
  for (const base of tries) {
    if (base.length < 3) continue;
    const v = lex.getWritten(base);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * "killed it", "smashing it", "rocked it": done superbly, not violence or a crash (AFINN reads "killed"
 * as death). Read off our English examples (eval/corpus/sentiment.en.4.jsonl); "nailed it" is listed.
 */
const DID_IT_WELL = wordSet('killed killing kills smashed smashing crushed crushing rocked rocking aced');

const ENDS_ON_QUESTION = /\?\s*$/;
const ASKED_ABOUT = 0.2;
const EXCITED = 1.2;
const LITOTES = new Set(['mal', 'bad', 'mauvais', 'mauvaise', 'terrible', 'shabby']);
/** Disappointment words that, denied, praise: "never disappoints", "no regrets", "no complaints". */
const DENIED_DISAPPOINTMENT = wordSet(
  'disappoint disappoints disappointed disappointing regret regrets complain complaint complaints',
);
/** Comparatives that, denied after "be"/"get", are superlatives: "couldn't be happier". */
const UNBEATEN = new Set(['better', 'happier', 'prouder']);
const QUANTITY_AFTER = new Set(['de', 'd', 'du', 'des', 'pire', 'plus', 'moins', 'mieux']);

/** Folded French words of a rise and of a fall. */
const RISE = wordSet(
  'hausse hausses augmente augmentent augmenter augmentera augmentee augmentes augmentees augmentation augmentations flambee flambe flambent grimpe grimpent grimper envolee envolent',
);
const FALL = wordSet(
  'baisse baisses baisser baissent baissee baissees baissera recul recule reculent diminue diminuent diminuer diminuee diminution diminutions chute chutent reduit reduite reduits reduites reduction reductions reduire reduisent reduira divise divisee divises divisees',
);
/**
 * What is bad news when it rises (costs and harms; "co" is "CO2" folded without its digit) and good news
 * when it rises (income, jobs, budgets). Written for this project from the news-style comments of our
 * French examples (eval/corpus/sentiment.fr.1.jsonl), where "baisse" alone read as bad news 17 times
 * out of 23.
 */
const BAD_WHEN_UP = wordSet(
  'prix tarif tarifs facture factures loyer loyers impot impots taxe taxes cout couts inflation chomage chomeurs emissions pollution deficit dette mortalite morts deces accidents victimes delinquance cambriolages violences agressions pesticides nitrates dechets consommation co particules precarite pauvrete faillites licenciements delais attente retards abstention carburant carburants gazole essence peage charges cotisation cotisations forfait forfaits abonnement abonnements frais mutuelle hospitalisations gaspillage prelevements',
);
const GOOD_WHEN_UP = wordSet(
  'salaire salaires pension pensions smic croissance emploi emplois embauches frequentation participation budget subventions aides effectifs recettes natalite biodiversite qualite confiance investissement investissements allocations bourses remuneration',
);
const TREND_WINDOW = 5;
const TREND_WEIGHT = 1.5;

/**
 * Rises and falls met with what they measure, within a few words either side ("les tarifs du gaz
 * augmentent", "baisse de 10 % de la mortalité"): the good or bad news they make, and the words read.
 */
function frenchTrends(toks: readonly string[]): { pos: number; neg: number; read: Set<number> } | undefined {
  let out: { pos: number; neg: number; read: Set<number> } | undefined;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    const dir = RISE.has(t) ? 1 : FALL.has(t) ? -1 : 0;
    if (dir === 0) continue;
    for (let d = 1; d <= TREND_WINDOW; d++) {
      const j = [i - d, i + d].find((k) => {
        const w = toks[k];
        return w !== undefined && (BAD_WHEN_UP.has(w) || GOOD_WHEN_UP.has(w));
      });
      if (j === undefined) continue;
      const good = GOOD_WHEN_UP.has(toks[j] as string) ? dir : -dir;
      out ??= { pos: 0, neg: 0, read: new Set() };
      if (good > 0) out.pos += TREND_WEIGHT;
      else out.neg += TREND_WEIGHT;
      out.read.add(i).add(j);
      break;
    }
  }
  return out;
}

/** Whether a French word carries a stance of its own (a degree word needs one next to it). */
function hasValence(lex: Lexicon<number>, t: string | undefined): boolean {
  if (t === undefined) return false;
  const v = valenceOf(lex, t, 'fr');
  return v !== undefined && v !== 0;
}

/** French "ne … plus/jamais/rien/guère": the second half follows the verb, the "ne"/"n'" comes before it. */
const FRENCH_NEGATION_TAIL = new Set(['plus', 'jamais', 'rien', 'guere', 'point']);
const FRENCH_NE = new Set(['n', 'ne']);
function frenchNegation(toks: readonly string[], i: number): boolean {
  const next = toks[i + 1];
  if (!next || !FRENCH_NEGATION_TAIL.has(next)) return false;
  const p1 = toks[i - 1];
  const p2 = toks[i - 2];
  return p1 === 'n' || p1 === 'ne' || p2 === 'n' || p2 === 'ne';
}

/** A full stop, "!", "?" or ";" followed by a space or the end: where a sentence ends. */
const SENTENCE_END = /[.!?;]+(?=\s|$)/;

/**
 * The sentence index of each token, or undefined when the comment is one sentence (or when its pieces
 * do not fold to the same tokens, e.g. a full stop inside a link).
 */
function sentencesOf(text: string, toks: readonly string[]): number[] | undefined {
  if (!SENTENCE_END.test(text)) return undefined;
  const pieces = stripNoise(text).split(SENTENCE_END);
  if (pieces.length < 2) return undefined;
  const out: number[] = [];
  pieces.forEach((piece, k) => {
    for (let n = tokens(fold(piece)).length; n > 0; n--) out.push(k);
  });
  return out.length === toks.length ? out : undefined;
}

/**
 * Whether the token at `j` negates what follows. French "plus" only negates after "ne"/"n'" ("n'est plus
 * efficace"); alone it is the comparative ("plus efficace", more efficient).
 */
function negatorAt(toks: readonly string[], j: number): boolean {
  const tok = toks[j];
  if (!tok) return false;
  if (tok === 't') return NT_STEMS.has(toks[j - 1] ?? '');
  if (tok === 'plus') return FRENCH_NE.has(toks[j - 1] ?? '') || FRENCH_NE.has(toks[j - 2] ?? '');
  return NEGATORS.has(tok);
}

/**
 * A comment the other detectors found insulting or complaining is negative even when no valence word
 * says so ("still no refund", "go back to your country"): their evidence is added to the negative mass.
 */
export function withNegativeEvidence(s: SentimentResult, extra: number): SentimentResult {
  if (extra <= 0) return s;
  return toResult(s.pos, s.neg + extra, s.contrast, s.calibration);
}

export function toResult(
  pos: number,
  neg: number,
  contrast: boolean,
  calibration: Calibration = CALIBRATION.en,
): SentimentResult {
  const { neutralMass, polarOnTie } = calibration;
  const total = pos + neg + neutralMass;
  // Mixed only when both sides are strong and close: one stray word against a clear stance is not mixed.
  const balanced = Math.min(pos, neg) >= 0.6 * Math.max(pos, neg);
  const mixed = contrast && pos > 1.5 && neg > 1.5 && balanced ? (2 * Math.min(pos, neg)) / total : 0;
  const rest = 1 - mixed;
  const scores: SentimentScores = {
    positive: round((rest * pos) / total),
    negative: round((rest * neg) / total),
    neutral: round((rest * neutralMass) / total),
    mixed: round(mixed),
  };
  let label: Sentiment = 'neutral';
  let best = scores.neutral;
  for (const k of ['positive', 'negative', 'mixed'] as const) {
    // A tie with the neutral mass is one clearly evaluative word (AFINN ±2) and nothing against it.
    const tieWins = polarOnTie && k !== 'mixed' && scores[k] === best && scores[k] > scores.mixed;
    if (scores[k] > best || tieWins) {
      best = scores[k];
      label = k;
    }
  }
  return { label, scores, confidence: round(best), pos, neg, contrast, calibration };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
