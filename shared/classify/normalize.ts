/**
 * Text folding shared by every local detector. Lexicons are folded with the same function as the
 * text, so "Connard", "c0nnard", "conard" and "CONNARD!!!" all meet on one key.
 */

const URL_RE =
  /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|ly|co|fr|be|ch|me|tv|gl|gg|xyz|info|biz|ru|de|es|uk|us|app|link|site|shop|store)(?:\/\S*)?/gi;
const MENTION_RE = /(?:^|\s)[@#][\p{L}\p{N}_.]+/gu;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g;

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'i',
  '€': 'e',
};

export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '');
}

/** Removes what says nothing about the language: links, e-mail addresses, @mentions, #hashtags. */
export function stripNoise(text: string): string {
  // Most comments have no link, address or mention: skip the expressions that cannot match.
  let out = text;
  const at = text.includes('@');
  if (at) out = out.replace(EMAIL_RE, ' ');
  if (mayHaveUrl(out)) out = out.replace(URL_RE, ' ');
  if (at || out.includes('#')) out = out.replace(MENTION_RE, ' ');
  return out;
}

/** Every link `URL_RE` matches has a dot or a "://"; a text with neither has none. */
export function mayHaveUrl(text: string): boolean {
  return text.includes('.') || text.includes('://');
}

export function countUrls(text: string): number {
  return mayHaveUrl(text) ? (text.match(URL_RE)?.length ?? 0) : 0;
}

/**
 * Lower-case, accent-free, leetspeak undone inside words, runs of three or more
 * letters cut to two ("nuuuul" → "nuul"), everything that is not a letter turned into a single space.
 */
const NON_ASCII = /[^ -~\t\n\r]/;
const LEET_CHARS = /[0134578@$!|€]/;

export function fold(text: string): string {
  let lower = text.toLowerCase();
  // Most comments are plain ASCII: no accents to strip, no curly quotes to straighten.
  if (NON_ASCII.test(lower)) lower = stripAccents(lower).replace(/[’`´]/g, "'");
  // Leetspeak only counts when the symbol sits next to letters ("c0nnard", "s@lope"), never in plain numbers.
  const unleet =
    LEET_CHARS.test(lower) && leetTouchesLetter(lower)
      ? lower.replace(
          /(?<=\p{L})[0134578@$!|€]+(?=\p{L})|(?<=\p{L})[0134578@$€]+(?=\b)|\b[@$4](?=\p{L})/gu,
          (m) => [...m].map((c) => LEET[c] ?? c).join(''),
        )
      : lower;
  // Plain ASCII (the common case, and what leetspeak undoing yields) has only a-z for letters: the
  // non-Unicode expressions give the same answer faster.
  if (!NON_ASCII.test(unleet))
    return unleet
      .replace(/[^a-z']+/g, ' ')
      .replace(/([a-z])\1{2,}/g, '$1$1')
      .trim();
  return unleet
    .replace(/[^\p{L}']+/gu, ' ')
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .trim();
}

/**
 * Whether a leetspeak symbol sits next to a letter anywhere: numbers standing alone ("2 weeks", "8:10")
 * are common and never need the (slow, Unicode) leetspeak expression. A superset of what it rewrites.
 */
function leetTouchesLetter(lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    if (!LEET_CHARS.test(lower[i] as string)) continue;
    if (isLetterAt(lower, i - 1) || isLetterAt(lower, i + 1)) return true;
  }
  return false;
}

function isLetterAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  // Outside ASCII, a surrogate half may belong to a letter of another plane: let the expression decide.
  return (c >= 0xd800 && c <= 0xdfff) || LETTER.test(text[i] as string);
}

/** Every run of one letter squeezed to one: the key lexicons are matched on when the exact word misses. */
export function squeeze(word: string): string {
  // Most words have no doubled letter: skip the regular expression for them.
  for (let i = 1; i < word.length; i++) {
    if (word.charCodeAt(i) === word.charCodeAt(i - 1)) return word.replace(/(\p{L})\1+/gu, '$1');
  }
  return word;
}

/** Words of a folded text, with French/English elisions split off ("j'aime" → "j", "aime"). */
export function tokens(folded: string): string[] {
  return folded.split(/[\s']+/).filter((t) => t.length > 0);
}

const LETTER = /\p{L}/u;
const UPPER = /\p{Lu}/u;

/** Letters and capital letters in one pass, without building an array per character. */
export function countLetters(text: string): { letters: number; upper: number } {
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (c >= 97 && c <= 122) letters++;
      else if (c >= 65 && c <= 90) {
        letters++;
        upper++;
      }
    } else if (c < 0xd800 || c > 0xdfff) {
      const ch = text[i] as string;
      if (LETTER.test(ch)) {
        letters++;
        if (UPPER.test(ch)) upper++;
      }
    }
  }
  return { letters, upper };
}
