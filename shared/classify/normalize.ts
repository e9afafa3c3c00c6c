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
  return text.replace(EMAIL_RE, ' ').replace(URL_RE, ' ').replace(MENTION_RE, ' ');
}

export function countUrls(text: string): number {
  return text.match(URL_RE)?.length ?? 0;
}

/**
 * Lower-case, accent-free, leetspeak undone inside words, runs of three or more
 * letters cut to two ("nuuuul" → "nuul"), everything that is not a letter turned into a single space.
 */
export function fold(text: string): string {
  const lower = stripAccents(text.toLowerCase()).replace(/[’`´]/g, "'");
  // Leetspeak only counts when the symbol sits next to letters ("c0nnard", "s@lope"), never in plain numbers.
  const unleet = lower.replace(
    /(?<=\p{L})[0134578@$!|€]+(?=\p{L})|(?<=\p{L})[0134578@$€]+(?=\b)|\b[@$4](?=\p{L})/gu,
    (m) => [...m].map((c) => LEET[c] ?? c).join(''),
  );
  return unleet
    .replace(/[^\p{L}']+/gu, ' ')
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .trim();
}

/** Every run of one letter squeezed to one: the key lexicons are matched on when the exact word misses. */
export function squeeze(word: string): string {
  return word.replace(/(\p{L})\1+/gu, '$1');
}

/** Words of a folded text, with French/English elisions split off ("j'aime" → "j", "aime"). */
export function tokens(folded: string): string[] {
  return folded.split(/[\s']+/).filter((t) => t.length > 0);
}
