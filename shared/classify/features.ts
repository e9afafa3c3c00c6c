/**
 * What every model of the local engine reads: one sparse vector per comment, made of
 *
 * - hashed word features: each word, each pair of neighbouring words, each word that opens a clause
 *   (so "do you" at the start of a clause differs from "do you" inside one), each word inside a
 *   negation scope ("not good" differs from "good");
 * - hashed character n-grams of the folded words, which carry spelling variants, French and English
 *   inflections and leetspeak without a word list;
 * - named features: facts a person can read and explain (question marks, a question word opening a
 *   clause, second-person address, lexicon hits, links, emoji, capitals …), listed in NAMED_FEATURES.
 *
 * The hashed part is the same for every language; the named part reads the French or the English
 * lexicons according to the detected language. The vector is built once per comment and every task
 * model (question, suggestion, complaint, praise, toxic, spam, sentiment) scores the same vector.
 */
import { Lexicon } from './lexicon.ts';
import {
  CUE_NAMES,
  CUE_PHRASES_EN,
  CUE_PHRASES_FR,
  EMOJI_CUES,
  TOXIC_CATEGORIES,
  TOXIC_EN,
  TOXIC_FR,
  VALENCE_EN,
  VALENCE_FR,
} from './lexicons.generated.ts';
import type { Analysis } from './tokenize.ts';

export interface FeatureConfig {
  /** The hashed features fall into 2^hashBits buckets (collisions are shared by the models). */
  hashBits: number;
  /** Character n-grams from charMin to charMax characters, over " word word ". 0 turns them off. */
  charMin: number;
  charMax: number;
}

/** The named features, in vector order, each with why it is there. */
export const NAMED_FEATURES = [
  ['question-mark', 'log(1 + number of "?"): the plainest sign of a question'],
  ['ends-with-question', 'the comment ends on "?": a question put, not one quoted in passing'],
  ['exclamation', 'log(1 + number of "!"): strong feeling, praise or anger'],
  ['elongation', 'a letter repeated three times or more ("sooo", "nuuul"): emphasis'],
  ['capitals', 'share of capital letters when there are eight letters or more: shouting'],
  ['shouted-words', 'log(1 + words of three letters or more in capitals)'],
  ['url', 'log(1 + links): link drops are the commonest spam'],
  ['mention', 'log(1 + @mentions)'],
  ['addressed', 'the comment opens on an @mention: said to that account (customer service, a person)'],
  ['hashtag', 'log(1 + #hashtags)'],
  ['email', 'an e-mail address: a contact scheme, or a customer giving their own'],
  ['phone-number', 'eight digits or more in a row (spaces and dots allowed): a contact scheme'],
  ['number', 'log(1 + numbers): order numbers, prices, delays'],
  ['currency', 'a currency sign ($, €, £): money schemes, charges'],
  ['emoji', 'log(1 + emoji)'],
  ['length', 'log(1 + words) / 4: long comments are rarely chat questions, often suggestions'],
  ['short', 'three words or fewer: greetings, reactions'],
  ['repeated-words', 'share of the most repeated word when there are eight or more: copy-paste floods'],
  ['non-latin', 'share of letters outside the Latin script'],
  ['language-fr', 'the comment was detected as French: the lexicon features below then read French lists'],
  ['language-other', 'neither French nor English: the English lists are read, and say less'],
  ['valence-positive', 'log(1 + sum of positive valence, AFINN scale to 3) outside negation scopes'],
  ['valence-negative', 'log(1 + sum of negative valence) outside negation scopes'],
  ['negated-positive', 'positive words inside a negation scope ("not great", "pas terrible")'],
  ['negated-negative', 'negative words inside a negation scope ("not bad", "pas mal")'],
  ['emoji-positive', 'log(1 + smiling, heart, thumbs-up emoji)'],
  ['emoji-negative', 'log(1 + angry, crying, thumbs-down emoji)'],
  ['emoji-mocking', 'log(1 + middle finger, clown, pile of poo)'],
  ['toxic-insult', 'log(1 + insult words of toxic.txt)'],
  [
    'toxic-hate',
    'log(1 + slurs of toxic.txt and hate phrases of cues.txt: "sale race", "go back to your country")',
  ],
  ['toxic-profanity', 'log(1 + swear words of toxic.txt)'],
  ['toxic-threat', 'log(1 + threat phrases of cues.txt)'],
  ['toxic-sexual', 'log(1 + sexual words of toxic.txt)'],
  ['toxic-mild', 'log(1 + words that are often harmless: "hell", "sucks", "kill", "fout")'],
  [
    'insult-addressed',
    'an insult, or a word that insults a person, within three words after "you"/"tu"/"vous"',
  ],
  ['insult-phrase', 'insults made of common words ("shut up", "ta gueule", "espèce de")'],
  ['question-word-start', 'a question word opens a clause ("why is", "pourquoi", "est-ce que")'],
  ['question-word', 'a question word anywhere (also embedded: "no idea how long")'],
  ['auxiliary-inversion', 'an English auxiliary opens a clause and a subject follows ("do you", "is it")'],
  ['french-inversion', 'a verb, a hyphen and a subject pronoun ("pouvez-vous", "y a-t-il")'],
  ['ask-phrase', 'asking for help or information without a question word ("anyone know", "savez-vous")'],
  ['second-person', 'log(1 + you/your/vous/tu …): speaking to someone'],
  ['first-person', 'log(1 + I/my/je/mon …): telling one’s own experience'],
  ['negator', 'log(1 + negations)'],
  ['intensifier', 'log(1 + so/very/trop/vraiment …)'],
  ['contrast', 'log(1 + but/however/mais …): a turn, often mixed feelings'],
  ['request', 'log(1 + wishes, proposals, advice: "would be nice", "il faudrait", "please add")'],
  ['imperative-start', 'a request verb opens a clause ("Add dark mode", "Ajoutez …")'],
  ['complaint', 'log(1 + phrases of unmet expectations: "still waiting", "toujours pas", "refund")'],
  ['service-noun', 'log(1 + what customers raise: order, delivery, account / commande, colis …)'],
  ['time-elapsed', 'a number before a time unit ("3 weeks", "deux jours"): how long it has been'],
  ['thanks', 'log(1 + thanks and praise: "thank you", "well done", "merci", "bravo")'],
  ['self-promotion', 'log(1 + channel plugs: "check out my", "subscribe", "abonnez-vous")'],
  ['money-scheme', 'log(1 + easy money, free gifts, "click here")'],
  ['crypto', 'log(1 + crypto-currency and trading pitches)'],
  ['contact-me', 'log(1 + moving the talk private: WhatsApp, Telegram, "DM me")'],
  ['engagement-bait', 'log(1 + asking for likes and shares)'],
] as const satisfies ReadonlyArray<readonly [string, string]>;

export type NamedFeature = (typeof NAMED_FEATURES)[number][0];
export const NAMED_COUNT = NAMED_FEATURES.length;
const NAMED_INDEX = new Map<string, number>(NAMED_FEATURES.map(([name], i) => [name, i]));

export function namedIndex(name: NamedFeature): number {
  return NAMED_INDEX.get(name) as number;
}

/** How many words after a negator are read as negated ("not very good", "pas du tout content"). */
export const NEGATION_SCOPE = 3;
/** How many words before an insult a "you" may be ("you are such an idiot"). */
export const ADDRESS_WINDOW = 4;
/** A comment needs this many words before the share of its most repeated word means anything. */
const REPEAT_MIN_WORDS = 8;
/** A comment needs this many letters before its share of capitals means anything ("OK" is no shouting). */
const CAPITALS_MIN_LETTERS = 8;
/** Eight digits in a row: a phone number, not a price, a date or an order number (those are shorter). */
const PHONE_MIN_DIGITS = 8;
/** Lengths are compared on a log scale; 4 ≈ log(1 + 54 words) maps a long comment to about 1. */
const LENGTH_SCALE = 4;
/** Up to this many words: a reaction or a greeting. */
const SHORT_WORDS = 3;
/** Most comments give a few hundred features; a capped comment (tokenize MAX_CHARS) stays under this. */
const MAX_FEATURES = 16_384;

const C = Object.fromEntries(CUE_NAMES.map((name, i) => [name, i])) as Record<
  (typeof CUE_NAMES)[number],
  number
>;

/** Seeds that keep the kinds of hashed features apart (a word, a pair, a clause opener, a negated word). */
const SEED_WORD = 0x811c9dc5;
const SEED_PAIR = 0x01000193;
const SEED_START = 0x5bd1e995;
const SEED_NEGATED = 0x27d4eb2d;
const SEED_CHAR = 0x165667b1;
const FNV_PRIME = 16_777_619;

export function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

/** MurmurHash3's finaliser: spreads the bits of an FNV hash before the bucket is taken. */
function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

interface CueEntry {
  cue: number;
  /** The words after the first one. */
  rest: string[];
  /** The last word is a stem: any word starting with it matches ("crash*"). */
  stemLast: boolean;
}

/** The key of a word's first two letters, as a number (no substring to build). */
function twoLetters(w: string): number {
  return (w.charCodeAt(0) << 16) | (w.length > 1 ? w.charCodeAt(1) : 0);
}

/** Phrases looked up by their first word; single-word stems ("crash*") by their first two letters. */
class CueMatcher {
  private readonly byFirst = new Map<string, CueEntry[]>();
  private readonly stems = new Map<number, Array<[string, number]>>();
  readonly greetings = new Set<string>();

  constructor(compiled: string) {
    for (const line of compiled.split('\n')) {
      const parts = line.split(' ');
      const cue = Number(parts[0]);
      const first = parts[1] as string;
      const rest = parts.slice(2);
      if (cue === C.greeting && rest.length === 0) this.greetings.add(first);
      if (rest.length === 0 && first.endsWith('*')) {
        const stem = first.slice(0, -1);
        const key = twoLetters(stem);
        const list = this.stems.get(key) ?? [];
        list.push([stem, cue]);
        this.stems.set(key, list);
        continue;
      }
      const last = rest[rest.length - 1];
      const stemLast = last?.endsWith('*') ?? false;
      if (stemLast) rest[rest.length - 1] = (last as string).slice(0, -1);
      const list = this.byFirst.get(first) ?? [];
      list.push({ cue, rest, stemLast });
      this.byFirst.set(first, list);
    }
  }

  /** Calls `hit(cue, i)` for every phrase that starts at word `i`. */
  match(words: readonly string[], i: number, hit: (cue: number, at: number) => void): void {
    const w = words[i] as string;
    const list = this.byFirst.get(w);
    if (list) {
      for (const e of list) {
        const last = e.rest.length - 1;
        let ok = i + 1 + last < words.length;
        for (let k = 0; ok && k <= last; k++) {
          const got = words[i + 1 + k] as string;
          const want = e.rest[k] as string;
          ok = k === last && e.stemLast ? got.startsWith(want) : got === want;
        }
        if (ok) hit(e.cue, i);
      }
    }
    if (this.stems.size === 0) return;
    const stems = this.stems.get(twoLetters(w));
    if (stems) for (const [stem, cue] of stems) if (w.startsWith(stem)) hit(cue, i);
  }
}

interface LanguageLexicons {
  cues: CueMatcher;
  valence: Lexicon<number>;
  toxic: Lexicon<number>;
}

/** Built on first use, per language: a cold start that meets French only builds the French tables. */
let english: LanguageLexicons | undefined;
let french: LanguageLexicons | undefined;

function lexiconsFor(language: string): LanguageLexicons {
  if (language === 'fr') {
    french ??= {
      cues: new CueMatcher(CUE_PHRASES_FR),
      valence: Lexicon.fromCompiled(VALENCE_FR),
      toxic: Lexicon.fromCompiled(TOXIC_FR),
    };
    return french;
  }
  english ??= {
    cues: new CueMatcher(CUE_PHRASES_EN),
    valence: Lexicon.fromCompiled(VALENCE_EN),
    toxic: Lexicon.fromCompiled(TOXIC_EN),
  };
  return english;
}

const TOXIC = Object.fromEntries(TOXIC_CATEGORIES.map((c, i) => [c, i])) as Record<
  (typeof TOXIC_CATEGORIES)[number],
  number
>;

/** What the named features found, for the engine to explain its answers (toxic labels, spam reasons). */
export interface Evidence {
  /** Toxic lexicon categories hit (insult, hate, profanity, threat, sexual). */
  toxic: Set<string>;
  /** Spam cues hit (self-promotion, money-scheme, crypto, contact-me, engagement-bait, link, phone-number). */
  spam: Set<string>;
}

/** A sparse vector: `n` (index, value) pairs; indices past 2^hashBits are the named features. */
export interface FeatureVector {
  idx: Int32Array;
  val: Float32Array;
  n: number;
}

const WORD_IDX = new Int32Array(MAX_FEATURES);
const CHAR_IDX = new Int32Array(MAX_FEATURES);
const NAMED_VAL = new Float64Array(NAMED_COUNT);
const OUT: FeatureVector = { idx: new Int32Array(MAX_FEATURES), val: new Float32Array(MAX_FEATURES), n: 0 };
const CUE_COUNT = new Float64Array(CUE_NAMES.length);
const TOXIC_COUNT = new Float64Array(TOXIC_CATEGORIES.length);

/** Per word, what the positional rules need, as bits (one buffer reused by every call). */
const OPENS = 1;
const NEGATED = 2;
const NEGATOR = 4;
const SECOND_PERSON = 8;
const SUBJECT = 16;
const NUMBER_WORD = 32;
const TIME_UNIT = 64;
const INSULT_AT = 128;
let flags = new Uint8Array(256);
let wordHashes = new Int32Array(256);

const POSITIONAL: Record<number, number> = {
  [C.negator]: NEGATOR,
  [C['second-person']]: SECOND_PERSON,
  [C.subject]: SUBJECT,
  [C['number-word']]: NUMBER_WORD,
  [C['time-unit']]: TIME_UNIT,
  [C['said-of-a-person']]: INSULT_AT,
};

/** What the cue callback collects during the current call. */
let startQuestionWord = 0;
let startImperative = 0;
const auxiliaryStarts: number[] = [];

function onCue(cue: number, at: number): void {
  CUE_COUNT[cue] = (CUE_COUNT[cue] as number) + 1;
  const bit = POSITIONAL[cue];
  if (bit !== undefined) flags[at] = (flags[at] as number) | bit;
  if ((flags[at] as number) & OPENS) {
    if (cue === C['question-word']) startQuestionWord++;
    else if (cue === C.imperative) startImperative++;
    else if (cue === C.auxiliary) auxiliaryStarts.push(at);
  }
}

/** Index of each named feature, for the writes below. */
const F = Object.fromEntries(NAMED_FEATURES.map(([name], i) => [name, i])) as Record<NamedFeature, number>;

/**
 * The comment's vector, written into buffers shared by every call: read it (or `copyVector` it) before
 * the next call. `language` picks the lexicons of the named features.
 */
export function extract(
  a: Analysis,
  language: string,
  config: FeatureConfig,
  evidence?: Evidence,
): FeatureVector {
  const mask = (1 << config.hashBits) - 1;
  const words = a.words;
  const isWord = a.isWord;
  const n = words.length;
  const lex = lexiconsFor(language);
  NAMED_VAL.fill(0);
  CUE_COUNT.fill(0);
  TOXIC_COUNT.fill(0);
  if (flags.length < n + 1) {
    flags = new Uint8Array(2 * n + 1);
    wordHashes = new Int32Array(2 * n + 1);
  }
  flags.fill(0, 0, n + 1);

  // Clause openers: the first word of a clause, and the word after an opening greeting or mention.
  for (let i = 0; i < n; i++) {
    const prevOpen =
      i > 0 &&
      (flags[i - 1] as number) & OPENS &&
      (!isWord[i - 1] || lex.cues.greetings.has(words[i - 1] as string));
    if (a.clauseStart[i] || (prevOpen && isWord[i])) flags[i] = OPENS;
  }

  // Cues: counts, and the bits of the positional ones.
  startQuestionWord = 0;
  startImperative = 0;
  auxiliaryStarts.length = 0;
  for (let i = 0; i < n; i++) if (isWord[i]) lex.cues.match(words, i, onCue);
  for (const e of a.emoji) {
    const cue = EMOJI_CUES[e];
    if (cue !== undefined) CUE_COUNT[cue] = (CUE_COUNT[cue] as number) + 1;
  }
  let inversion = 0;
  for (const at of auxiliaryStarts) if ((flags[at + 1] as number) & SUBJECT) inversion = 1;

  // Negation scopes: the few words after a negator, inside its clause.
  for (let i = 0; i < n; i++) {
    if (!((flags[i] as number) & NEGATOR)) continue;
    for (let k = i + 1; k <= i + NEGATION_SCOPE && k < n; k++) {
      if ((flags[k] as number) & OPENS) break;
      flags[k] = (flags[k] as number) | NEGATED;
    }
  }

  // Hashed word features, valence and toxic words.
  let nw = 0;
  let prevHash = 0;
  let hasPrev = false;
  let numbers = 0;
  let wordCount = 0;
  let valencePos = 0;
  let valenceNeg = 0;
  let negPos = 0;
  let negNeg = 0;
  for (let i = 0; i < n && nw + 4 < MAX_FEATURES; i++) {
    const w = words[i] as string;
    const h = hashString(w, SEED_WORD);
    const f = flags[i] as number;
    WORD_IDX[nw++] = mix(h) & mask;
    if (f & OPENS) {
      WORD_IDX[nw++] = mix(h ^ SEED_START) & mask;
      hasPrev = false;
    }
    if (hasPrev) WORD_IDX[nw++] = mix(Math.imul(prevHash, SEED_PAIR) ^ h) & mask;
    if (f & NEGATED) WORD_IDX[nw++] = mix(h ^ SEED_NEGATED) & mask;
    prevHash = h;
    hasPrev = true;
    if (!isWord[i]) continue;
    wordHashes[wordCount++] = h;
    if (w.charCodeAt(0) === 48) numbers++;
    const v = lex.valence.get(w);
    if (v !== undefined && v !== 0) {
      if (f & NEGATED) {
        if (v > 0) negPos += v;
        else negNeg -= v;
      } else if (v > 0) valencePos += v;
      else valenceNeg -= v;
    }
    let t = lex.toxic.get(w);
    // "morons", "connards": a plural meets its singular entry.
    if (t === undefined && w.length >= 5 && w.endsWith('s')) t = lex.toxic.get(w.slice(0, -1));
    if (t !== undefined && t !== TOXIC.plain) {
      TOXIC_COUNT[t] = (TOXIC_COUNT[t] as number) + 1;
      if (t === TOXIC.insult || t === TOXIC.hate) flags[i] = (flags[i] as number) | INSULT_AT;
    }
  }

  // Hashed character n-grams over " word word ": placeholders and emoji have their own word features.
  let nc = 0;
  if (config.charMax > 0) {
    let s = ' ';
    for (let i = 0; i < n; i++) if (isWord[i]) s += `${words[i]} `;
    const len = s.length;
    for (let i = 0; i < len && nc < MAX_FEATURES - config.charMax; i++) {
      let h = SEED_CHAR;
      const end = Math.min(len, i + config.charMax);
      for (let j = i; j < end; j++) {
        h ^= s.charCodeAt(j);
        h = Math.imul(h, FNV_PRIME);
        if (j - i + 1 >= config.charMin) CHAR_IDX[nc++] = mix(h) & mask;
      }
    }
  }

  // An insult (or a word that insults a person) a few words after "you".
  let addressed = 0;
  for (let i = 0; i < n; i++) {
    if (!((flags[i] as number) & INSULT_AT)) continue;
    for (let k = Math.max(0, i - ADDRESS_WINDOW); k < i; k++) {
      if ((flags[k] as number) & SECOND_PERSON) {
        addressed++;
        break;
      }
    }
  }
  // A number, or a number word, right before a time unit.
  let elapsed = 0;
  for (let i = 1; i < n; i++) {
    if (!((flags[i] as number) & TIME_UNIT)) continue;
    if ((words[i - 1] as string).charCodeAt(0) === 48 || (flags[i - 1] as number) & NUMBER_WORD) elapsed++;
  }

  // Named features.
  const cue = (name: (typeof CUE_NAMES)[number]) => CUE_COUNT[C[name]] as number;
  const tox = (name: (typeof TOXIC_CATEGORIES)[number]) => TOXIC_COUNT[TOXIC[name]] as number;
  const V = NAMED_VAL;
  V[F['question-mark']] = Math.log1p(a.questionMarks);
  V[F['ends-with-question']] = a.endsWithQuestion ? 1 : 0;
  V[F.exclamation] = Math.log1p(a.exclamations);
  V[F.elongation] = a.elongated > 0 ? 1 : 0;
  V[F.capitals] = a.letters >= CAPITALS_MIN_LETTERS ? a.upper / a.letters : 0;
  V[F['shouted-words']] = Math.log1p(a.shouted);
  V[F.url] = Math.log1p(a.urls);
  V[F.mention] = Math.log1p(a.mentions);
  V[F.addressed] = a.leadingMention ? 1 : 0;
  V[F.hashtag] = Math.log1p(a.hashtags);
  V[F.email] = a.emails > 0 ? 1 : 0;
  V[F['phone-number']] = a.longestDigitRun >= PHONE_MIN_DIGITS ? 1 : 0;
  V[F.number] = Math.log1p(numbers);
  V[F.currency] = a.currency > 0 ? 1 : 0;
  V[F.emoji] = Math.log1p(a.emoji.length);
  V[F.length] = Math.log1p(wordCount) / LENGTH_SCALE;
  V[F.short] = wordCount <= SHORT_WORDS ? 1 : 0;
  if (wordCount >= REPEAT_MIN_WORDS) V[F['repeated-words']] = mostRepeated(wordCount) / wordCount;
  V[F['non-latin']] = a.letters > 0 ? a.nonLatin / a.letters : 0;
  V[F['language-fr']] = language === 'fr' ? 1 : 0;
  V[F['language-other']] = language !== 'fr' && language !== 'en' ? 1 : 0;
  V[F['valence-positive']] = Math.log1p(valencePos);
  V[F['valence-negative']] = Math.log1p(valenceNeg);
  V[F['negated-positive']] = Math.log1p(negPos);
  V[F['negated-negative']] = Math.log1p(negNeg);
  V[F['emoji-positive']] = Math.log1p(cue('emoji-positive'));
  V[F['emoji-negative']] = Math.log1p(cue('emoji-negative'));
  V[F['emoji-mocking']] = Math.log1p(cue('emoji-mocking'));
  V[F['toxic-insult']] = Math.log1p(tox('insult'));
  V[F['toxic-hate']] = Math.log1p(tox('hate') + cue('hate-phrase'));
  V[F['toxic-profanity']] = Math.log1p(tox('profanity'));
  V[F['toxic-threat']] = Math.log1p(tox('threat') + cue('threat'));
  V[F['toxic-sexual']] = Math.log1p(tox('sexual'));
  V[F['toxic-mild']] = Math.log1p(tox('profanity-mild') + tox('threat-mild'));
  V[F['insult-addressed']] = Math.log1p(addressed);
  V[F['insult-phrase']] = Math.log1p(cue('insult-phrase'));
  V[F['question-word-start']] = Math.log1p(startQuestionWord);
  V[F['question-word']] = Math.log1p(cue('question-word'));
  V[F['auxiliary-inversion']] = inversion;
  V[F['french-inversion']] = Math.log1p(a.frenchInversion);
  V[F['ask-phrase']] = Math.log1p(cue('ask-phrase'));
  V[F['second-person']] = Math.log1p(cue('second-person'));
  V[F['first-person']] = Math.log1p(cue('first-person'));
  V[F.negator] = Math.log1p(cue('negator'));
  V[F.intensifier] = Math.log1p(cue('intensifier'));
  V[F.contrast] = Math.log1p(cue('contrast'));
  V[F.request] = Math.log1p(cue('request'));
  V[F['imperative-start']] = Math.log1p(startImperative);
  V[F.complaint] = Math.log1p(cue('complaint'));
  V[F['service-noun']] = Math.log1p(cue('service-noun'));
  V[F['time-elapsed']] = Math.log1p(elapsed);
  V[F.thanks] = Math.log1p(cue('thanks'));
  V[F['self-promotion']] = Math.log1p(cue('self-promotion'));
  V[F['money-scheme']] = Math.log1p(cue('money-scheme'));
  V[F.crypto] = Math.log1p(cue('crypto'));
  V[F['contact-me']] = Math.log1p(cue('contact-me'));
  V[F['engagement-bait']] = Math.log1p(cue('engagement-bait'));

  if (evidence) {
    for (const name of ['insult', 'hate', 'profanity', 'threat', 'sexual'] as const)
      if (tox(name) > 0) evidence.toxic.add(name);
    if (cue('threat') > 0) evidence.toxic.add('threat');
    if (cue('hate-phrase') > 0) evidence.toxic.add('hate');
    if (cue('insult-phrase') > 0 || addressed > 0) evidence.toxic.add('insult');
    for (const name of ['self-promotion', 'money-scheme', 'crypto', 'contact-me', 'engagement-bait'] as const)
      if (cue(name) > 0) evidence.spam.add(name);
    if (a.urls > 0) evidence.spam.add('link');
    if (a.longestDigitRun >= PHONE_MIN_DIGITS) evidence.spam.add('phone-number');
  }

  // The vector: each hashed group scaled to unit length, the named features as they are.
  const out = OUT;
  let k = 0;
  const wordScale = nw > 0 ? 1 / Math.sqrt(nw) : 0;
  for (let i = 0; i < nw; i++) {
    out.idx[k] = WORD_IDX[i] as number;
    out.val[k++] = wordScale;
  }
  const charScale = nc > 0 ? 1 / Math.sqrt(nc) : 0;
  for (let i = 0; i < nc; i++) {
    out.idx[k] = CHAR_IDX[i] as number;
    out.val[k++] = charScale;
  }
  const base = 1 << config.hashBits;
  for (let i = 0; i < NAMED_COUNT; i++) {
    const v = V[i] as number;
    if (v !== 0) {
      out.idx[k] = base + i;
      out.val[k++] = v;
    }
  }
  out.n = k;
  return out;
}

/** How often the most repeated word occurs, from the words' hashes (sorted in place, then counted). */
function mostRepeated(count: number): number {
  const hs = wordHashes.subarray(0, count).sort();
  let best = 1;
  let run = 1;
  for (let i = 1; i < count; i++) {
    run = hs[i] === hs[i - 1] ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

/** A copy of the shared vector, for callers that keep vectors (training). */
export function copyVector(v: FeatureVector): FeatureVector {
  return { idx: v.idx.slice(0, v.n), val: v.val.slice(0, v.n), n: v.n };
}

/** The named features of a vector, by name (for explanations and tests). */
export function namedValues(v: FeatureVector, config: FeatureConfig): Record<string, number> {
  const base = 1 << config.hashBits;
  const out: Record<string, number> = {};
  for (let i = 0; i < v.n; i++) {
    const at = v.idx[i] as number;
    if (at >= base) out[NAMED_FEATURES[at - base]?.[0] ?? String(at)] = v.val[i] as number;
  }
  return out;
}
