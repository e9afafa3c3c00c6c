/**
 * Text helpers shared by the chat renderers: cutting inside a limit without breaking a grapheme
 * (so never a UTF-16 surrogate pair, a combining sequence or a ZWJ emoji), and the escaping each
 * format needs. Limits are counted in UTF-16 code units, the larger of the two counts a platform
 * may mean by "characters", so a text that fits here fits whichever one it uses.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const ELLIPSIS = '…';

/** The graphemes of a text, in order. */
export function splitGraphemes(text: string): string[] {
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

/**
 * The longest prefix of `raw` (whole graphemes) whose escaped form, followed by the ellipsis when
 * something was cut, is at most `max` UTF-16 code units long. Escaping is applied per grapheme so
 * a cut never lands inside an entity such as `&amp;`.
 */
export function cut(raw: string, max: number, encode: (s: string) => string = (s) => s): string {
  const whole = encode(raw);
  if (whole.length <= max) return whole;
  return cutPieces(splitGraphemes(raw).map(encode), max);
}

/**
 * The longest run of whole pieces (one per grapheme, already encoded) that fits in `max` with the
 * ellipsis, or all of them when they fit.
 */
export function cutPieces(pieces: readonly string[], max: number): string {
  const total = pieces.reduce((n, p) => n + p.length, 0);
  if (total <= max) return pieces.join('');
  const budget = max - ELLIPSIS.length;
  if (budget <= 0) return max >= ELLIPSIS.length ? ELLIPSIS : '';
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return `${out.trimEnd()}${ELLIPSIS}`;
}

/** One line: control characters and line breaks become spaces, runs of spaces one space. */
export function oneLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Slack mrkdwn: exactly `&`, `<` and `>` must be escaped; everything between `<` and `>` is
 * otherwise markup (links, `<@U…>` mentions, `<!channel>`), which a quoted comment must never be.
 */
export function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Slack's own escaping undone: a comment that came from Slack is stored as Slack sent it. */
export function unescapeSlack(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/**
 * Adaptive Card TextBlocks read a CommonMark subset (bold, italic, lists, links). The inline
 * markup characters are backslash-escaped wherever they are; the block markers (`#`, `-`, `+`,
 * `1.`) only where CommonMark reads them, at the start of a line, so ordinary punctuation stays
 * as written. One piece per grapheme, for `cutPieces`; `\n` pieces are `lineBreak`.
 */
export function markdownPieces(raw: string, lineBreak = '\n'): string[] {
  const pieces: string[] = [];
  let lineStart = true;
  let digits = false;
  for (const g of splitGraphemes(raw)) {
    if (g === '\n' || g === '\r\n' || g === '\r') {
      pieces.push(lineBreak);
      lineStart = true;
      digits = false;
      continue;
    }
    let piece = /^[\\`*_{}[\]()<>~|!]$/.test(g) ? `\\${g}` : g;
    if (lineStart && /^\s$/.test(g)) {
      pieces.push(piece);
      continue;
    }
    if (lineStart && /^[#\-+=]$/.test(g)) piece = `\\${g}`;
    if (digits && (g === '.' || g === ')')) piece = `\\${g}`;
    digits = (lineStart || digits) && /^\d$/.test(g);
    lineStart = false;
    pieces.push(piece);
  }
  return pieces;
}

export function escapeMarkdown(text: string): string {
  return markdownPieces(text).join('');
}

/**
 * Amazon Q Developer in chat applications renders `client-markdown` in the target platform's own
 * markdown (Slack's or Teams'), which have no common escape: angle brackets become look-alikes so
 * no text turns into a link or a mention, and the emphasis characters are left alone.
 */
export function neutralizeChatMarkdown(text: string): string {
  return text.replaceAll('<', '‹').replaceAll('>', '›');
}
