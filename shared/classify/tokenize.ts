/**
 * One pass over a comment that gives every model its words and the surface facts the named features
 * read. Language-neutral on purpose: French and English (and the rest) go through the same rules —
 * lower case, accents folded ("é" → "e", "œ" → "oe"), elisions split ("j'aime" → "j aime", "qu'il" →
 * "qu il"), the English "n't" kept on its verb ("don't" → "dont"), hyphens split ("est-ce" → "est ce",
 * noting a French inversion such as "pouvez-vous"), leetspeak inside a word undone ("c0nnard"), letter
 * runs cut to two ("nuuuul" → "nuul"), links and @mentions replaced by placeholders.
 */

/** Placeholder words: what a link or a mention says is that there is one, not its letters. */
export const URL_TOKEN = '_url_';
export const MENTION_TOKEN = '_at_';

/**
 * Comments past this many characters are read up to it: what decides a comment's intent or tone is
 * in its first paragraphs, and a bound keeps the cost per comment bounded (Comprehend reads 500 bytes).
 */
export const MAX_CHARS = 2000;

export interface Analysis {
  /** Folded words, emoji and placeholders, in order. */
  words: string[];
  /** Whether `words[i]` opens a clause (first word, or first after . ! ? ; : , or a line break). */
  clauseStart: boolean[];
  /** Whether `words[i]` is a letter-or-digit word (not an emoji, not a placeholder). */
  isWord: boolean[];
  letters: number;
  upper: number;
  /** Words of three letters or more written all in capitals. */
  shouted: number;
  questionMarks: number;
  exclamations: number;
  /** The comment ends on a question mark (emoji and closing marks after it are ignored). */
  endsWithQuestion: boolean;
  /** A letter repeated three times or more ("sooo", "nuuul"). */
  elongated: number;
  urls: number;
  mentions: number;
  hashtags: number;
  emails: number;
  /** The comment opens on an @mention: it is addressed to that account. */
  leadingMention: boolean;
  /** The longest run of digits, counting the spaces, dots and dashes inside a phone number. */
  longestDigitRun: number;
  currency: number;
  emoji: string[];
  /** Letters outside the Latin script. */
  nonLatin: number;
  /** Hyphen + subject pronoun after a verb: the French inverted question ("pouvez-vous", "y a-t-il"). */
  frenchInversion: number;
}

const URL_RE =
  /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9][\w-]*(?:\.[\w-]+)*\.(?:com|net|org|io|ly|co|fr|be|ch|me|tv|gl|xyz|info|biz|ru|de|uk|app|link|site|shop)\b(?:\/\S*)?/gi;
const EMAIL_RE = /[\w.+-]+@[\w-]+\.[\w.-]+/g;
const MENTION_RE = /(^|[^\p{L}\p{N}_])[@＠][\p{L}\p{N}_.]*[\p{L}\p{N}_]/gu;
/** Marks left in the text where a link or a mention was, read back as placeholder words. */
const URL_MARK = '\u0001';
const MENTION_MARK = '\u0002';

/** Leetspeak symbols read as letters when they sit inside a word ("c0nnard", "s@lope", "f4ke"). */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

/** French subject pronouns after a hyphen: "pouvez-vous", "peut-on", "a-t-il". */
const INVERTED_PRONOUNS = new Set(['vous', 'tu', 'il', 'elle', 'on', 'je', 'nous', 'ils', 'elles', 't']);

const LETTER = /\p{L}/u;
const UPPER_LETTER = /\p{Lu}/u;
const MARK = /\p{M}/gu;

/** Folded forms of non-ASCII characters, computed once per character met. */
const foldCache = new Map<number, string>();
const SPECIAL_FOLDS: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };

/** Lower-case, accent-free form of one non-ASCII character ("" when it is not a letter or a digit). */
function foldChar(ch: string, code: number): string {
  const hit = foldCache.get(code);
  if (hit !== undefined) return hit;
  let out = '';
  if (LETTER.test(ch)) {
    const lower = ch.toLowerCase();
    out = SPECIAL_FOLDS[lower] ?? lower.normalize('NFD').replace(MARK, '');
    if (!out) out = lower;
  }
  if (foldCache.size < 10_000) foldCache.set(code, out);
  return out;
}

function isEmoji(code: number): boolean {
  return (
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x2600 && code <= 0x27bf) ||
    (code >= 0x1f000 && code <= 0x1f2ff) ||
    code === 0x2b50 ||
    code === 0x2764
  );
}

function isLatinLetterCode(code: number): boolean {
  return code <= 0x24f || (code >= 0x1e00 && code <= 0x1eff);
}

/** Reads `text` once. Never throws; an empty text gives no words. */
export function analyse(input: string): Analysis {
  let text = input.length > MAX_CHARS ? input.slice(0, MAX_CHARS) : input;
  const a: Analysis = {
    words: [],
    clauseStart: [],
    isWord: [],
    letters: 0,
    upper: 0,
    shouted: 0,
    questionMarks: 0,
    exclamations: 0,
    endsWithQuestion: false,
    elongated: 0,
    urls: 0,
    mentions: 0,
    hashtags: 0,
    emails: 0,
    leadingMention: false,
    longestDigitRun: 0,
    currency: 0,
    emoji: [],
    nonLatin: 0,
    frenchInversion: 0,
  };
  // Most comments have no link, address or mention: skip the expressions that cannot match.
  if (text.includes('@') || text.includes('＠')) {
    text = text.replace(EMAIL_RE, () => {
      a.emails++;
      return ' ';
    });
    const trimmed = text.trimStart();
    a.leadingMention = trimmed.startsWith('@') || trimmed.startsWith('.@') || trimmed.startsWith('＠');
    text = text.replace(MENTION_RE, (_m, before: string) => {
      a.mentions++;
      return `${before} ${MENTION_MARK} `;
    });
  }
  if (mayHaveUrl(text)) {
    text = text.replace(URL_RE, () => {
      a.urls++;
      return ` ${URL_MARK} `;
    });
  }
  scan(text, a);
  return a;
}

function scan(text: string, a: Analysis): void {
  let word = '';
  /** The word being read is a number (its digits are written 0: "9 days" and "12 days" meet). */
  let numeric = false;
  let wordUpper = 0;
  let wordLetters = 0;
  let pendingStart = true;
  let digitRun = 0;
  let lastSignificant = '';
  const push = (token: string, isWord: boolean) => {
    a.words.push(token);
    a.isWord.push(isWord);
    a.clauseStart.push(pendingStart && isWord);
    if (isWord) pendingStart = false;
  };
  const endWord = () => {
    if (word) {
      push(word, true);
      if (wordLetters >= 3 && wordUpper === wordLetters) a.shouted++;
    }
    word = '';
    numeric = false;
    wordUpper = 0;
    wordLetters = 0;
  };
  const appendLetter = (s: string) => {
    if (numeric) endWord();
    // Letter runs are cut to two: "sooo" and "soooooo" meet on "soo".
    const n = word.length;
    if (
      n >= 2 &&
      s.length === 1 &&
      word.charCodeAt(n - 1) === s.charCodeAt(0) &&
      word.charCodeAt(n - 2) === s.charCodeAt(0)
    ) {
      a.elongated++;
      return;
    }
    word += s;
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let code = text.charCodeAt(i);
    // Letters a-z, A-Z: the common case.
    if (code >= 97 && code <= 122) {
      a.letters++;
      wordLetters++;
      appendLetter(text[i] as string);
      digitRun = 0;
      lastSignificant = 'a';
      continue;
    }
    if (code >= 65 && code <= 90) {
      a.letters++;
      a.upper++;
      wordLetters++;
      wordUpper++;
      appendLetter(String.fromCharCode(code + 32));
      digitRun = 0;
      lastSignificant = 'a';
      continue;
    }
    if (code >= 48 && code <= 57) {
      digitRun++;
      if (digitRun > a.longestDigitRun) a.longestDigitRun = digitRun;
      const leet = LEET[text[i] as string];
      // A digit between two letters is leetspeak ("c0nnard"); elsewhere digits make a number.
      if (leet && word && !numeric && isLetterCode(text.charCodeAt(i + 1))) {
        word += leet;
      } else {
        if (word && !numeric) endWord();
        numeric = true;
        word += '0';
      }
      lastSignificant = 'a';
      continue;
    }
    // A digit run keeps going over the separators of a phone number ("06 12 34 56 78", "555-0100").
    if (
      !(digitRun > 0 && (code === 32 || code === 46 || code === 45) && isDigitCode(text.charCodeAt(i + 1)))
    ) {
      if (code !== 32 || !isDigitCode(text.charCodeAt(i + 1))) digitRun = 0;
    } else {
      digitRun++;
    }
    if (code === 39 || code === 0x2019 || code === 0x60 || code === 0xb4) {
      // "don't" → "dont"; every other apostrophe splits ("j'aime", "it's").
      const next = text.charCodeAt(i + 1);
      const after = text.charCodeAt(i + 2);
      if (word.endsWith('n') && (next === 116 || next === 84) && !isLetterCode(after)) continue;
      endWord();
      continue;
    }
    if (code === 45) {
      // "pouvez-vous", "a-t-il": a hyphen, then a subject pronoun, after a word.
      if (word) {
        const rest = /^[A-Za-z]+/.exec(text.slice(i + 1, i + 7));
        if (rest && INVERTED_PRONOUNS.has(rest[0].toLowerCase())) a.frenchInversion++;
      }
      endWord();
      continue;
    }
    if (code === 64 || code === 36) {
      // "s@lope", "a$$": a symbol inside a word is leetspeak; elsewhere it ends the word.
      if (word && !numeric && isLetterCode(text.charCodeAt(i + 1))) {
        word += LEET[text[i] as string] as string;
        continue;
      }
      if (code === 36) a.currency++;
      endWord();
      continue;
    }
    if (code === 1) {
      endWord();
      push(URL_TOKEN, false);
      continue;
    }
    if (code === 2) {
      endWord();
      push(MENTION_TOKEN, false);
      continue;
    }
    if (code < 128) {
      endWord();
      if (code === 63) {
        a.questionMarks++;
        pendingStart = true;
        lastSignificant = '?';
      } else if (code === 33) {
        a.exclamations++;
        pendingStart = true;
        lastSignificant = '!';
      } else if (code === 35) {
        if (isLetterCode(text.charCodeAt(i + 1))) a.hashtags++;
      } else if (code === 46 || code === 59 || code === 58 || code === 44 || code === 10 || code === 13) {
        pendingStart = true;
        lastSignificant = '.';
      } else if (code === 40 || code === 41 || code === 34) {
        lastSignificant = '.';
      }
      continue;
    }
    // Outside ASCII: a whole code point (emoji live past the 16-bit plane).
    let ch = text[i] as string;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        ch = text.slice(i, i + 2);
        i++;
      }
    }
    // Variation selectors, joiners and skin tones belong to the emoji before them.
    if (code === 0xfe0f || code === 0x200d || (code >= 0x1f3fb && code <= 0x1f3ff)) continue;
    if (isEmoji(code)) {
      endWord();
      push(ch, false);
      a.emoji.push(ch);
      continue;
    }
    if (code === 0x20ac || code === 0xa3) {
      a.currency++;
      endWord();
      continue;
    }
    if (code === 0xbf) {
      // "¿": opens a Spanish question.
      a.questionMarks++;
      endWord();
      continue;
    }
    const folded = foldChar(ch, code);
    if (folded) {
      a.letters++;
      wordLetters++;
      if (UPPER_LETTER.test(ch)) {
        a.upper++;
        wordUpper++;
      }
      if (!isLatinLetterCode(code)) a.nonLatin++;
      appendLetter(folded);
      lastSignificant = 'a';
      continue;
    }
    // Any other symbol ends the word; an ellipsis also ends the clause.
    endWord();
    if (code === 0x2026) pendingStart = true;
  }
  endWord();
  a.endsWithQuestion = lastSignificant === '?';
}

/** Every link URL_RE matches has "://" or a dot between a letter or digit and a letter ("shop.fr"). */
function mayHaveUrl(text: string): boolean {
  if (text.includes('://')) return true;
  for (let i = text.indexOf('.'); i > 0; i = text.indexOf('.', i + 1)) {
    const before = text.charCodeAt(i - 1);
    const after = text.charCodeAt(i + 1);
    if ((isLetterCode(before) || isDigitCode(before)) && isLetterCode(after)) return true;
  }
  return false;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetterCode(c: number): boolean {
  if (Number.isNaN(c)) return false;
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && !(c >= 0x2000 && c <= 0x2bff);
}

/** The folded words of a short text (a lexicon entry, a phrase), as `analyse` would give them. */
export function foldedWords(text: string): string[] {
  const a = analyse(text);
  return a.words.filter((_, i) => a.isWord[i]);
}
