import { fold, squeeze } from './normalize.ts';

/**
 * A word list looked up by folded token. An entry ending in `*` matches every word starting with
 * it ("arnaque*" → "arnaques", "arnaquer"); other entries match the exact word, then its squeezed form.
 */
export class Lexicon<T> {
  private readonly exact = new Map<string, T>();
  private readonly squeezed = new Map<string, T>();
  private readonly prefixes: Array<[string, T]> = [];
  private readonly byFirst = new Map<string, Array<[string, T]>>();

  constructor(entries: Iterable<readonly [string, T]>) {
    for (const [raw, value] of entries) {
      const isPrefix = raw.endsWith('*');
      const word = fold(isPrefix ? raw.slice(0, -1) : raw).replace(/ /g, '');
      if (!word) continue;
      if (isPrefix) {
        this.prefixes.push([word, value]);
        const first = word.slice(0, 2);
        const list = this.byFirst.get(first) ?? [];
        list.push([word, value]);
        this.byFirst.set(first, list);
      } else {
        this.exact.set(word, value);
        this.squeezed.set(squeeze(word), value);
      }
    }
  }

  /** Comment words repeat a lot; answers (misses too) are remembered, up to a bound. */
  private readonly cache = new Map<string, T | null>();

  get(token: string): T | undefined {
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached ?? undefined;
    const value = this.lookup(token);
    if (this.cache.size >= 20_000) this.cache.clear();
    this.cache.set(token, value ?? null);
    return value;
  }

  private lookup(token: string): T | undefined {
    const hit = this.exact.get(token);
    if (hit !== undefined) return hit;
    const list = this.byFirst.get(token.slice(0, 2));
    if (list) {
      for (const [p, v] of list) if (token.startsWith(p)) return v;
    }
    // A stretched word ("fuuck", "biiitch") or a long misspelling ("conard") may meet an entry on its
    // squeezed key; a short plain word may not ("as" is not "ass").
    const sq = squeeze(token);
    if (sq === token && token.length < 5) return undefined;
    return this.squeezed.get(sq);
  }

  get size(): number {
    return this.exact.size + this.prefixes.length;
  }
}

/** Builds a lexicon from a space-separated word list, every word with the same value. */
export function wordsOf<T>(list: string, value: T): Array<[string, T]> {
  return list
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => [w, value] as [string, T]);
}
