import { fold, squeeze } from './normalize.ts';

/**
 * A numeric lexicon folded ahead of time (see `eval/build-lexicons.ts`): words grouped by value, so
 * a cold start splits a few long strings instead of folding thousands of words one by one.
 */
export interface CompiledLexicon {
  /** value → space-separated exact keys. */
  exact: Record<string, string>;
  /** value → squeezed keys whose answer is not already the exact entry of the same key. */
  squeezed: Record<string, string>;
  /** "prefix value prefix value …", in match order. */
  prefixes: string;
}

/**
 * A word list looked up by folded token. An entry ending in `*` matches every word starting with
 * it ("arnaque*" → "arnaques", "arnaquer"); other entries match the exact word, then its squeezed form.
 */
export class Lexicon<T> {
  private readonly exact = new Map<string, T>();
  private readonly squeezed = new Map<string, T>();
  private readonly prefixes: Array<[string, T]> = [];
  private readonly byFirst = new Map<string, Array<[string, T]>>();

  constructor(entries: Iterable<readonly [string, T]> = []) {
    for (const [raw, value] of entries) {
      const isPrefix = raw.endsWith('*');
      const word = fold(isPrefix ? raw.slice(0, -1) : raw).replace(/ /g, '');
      if (!word) continue;
      if (isPrefix) this.addPrefix(word, value);
      else {
        this.exact.set(word, value);
        this.squeezed.set(squeeze(word), value);
      }
    }
  }

  static fromCompiled(compiled: CompiledLexicon): Lexicon<number> {
    const lex = new Lexicon<number>();
    for (const [value, words] of Object.entries(compiled.exact)) {
      const v = Number(value);
      for (const w of words.split(' ')) lex.exact.set(w, v);
    }
    for (const [value, words] of Object.entries(compiled.squeezed)) {
      const v = Number(value);
      for (const w of words.split(' ')) lex.squeezed.set(w, v);
    }
    const parts = compiled.prefixes ? compiled.prefixes.split(' ') : [];
    for (let i = 0; i + 1 < parts.length; i += 2) lex.addPrefix(parts[i] as string, Number(parts[i + 1]));
    return lex;
  }

  /** The folded form `fromCompiled` reads back; values must print and parse back exactly (numbers do). */
  compile(): CompiledLexicon {
    const group = (pairs: Iterable<[string, T]>): Record<string, string> => {
      const out: Record<string, string[]> = {};
      for (const [w, v] of pairs) {
        const list = out[String(v)] ?? [];
        list.push(w);
        out[String(v)] = list;
      }
      return Object.fromEntries(Object.entries(out).map(([v, ws]) => [v, ws.join(' ')]));
    };
    const extraSqueezed = [...this.squeezed].filter(([k, v]) => this.exact.get(k) !== v);
    return {
      exact: group(this.exact),
      squeezed: group(extraSqueezed),
      prefixes: this.prefixes.map(([p, v]) => `${p} ${String(v)}`).join(' '),
    };
  }

  private addPrefix(word: string, value: T): void {
    this.prefixes.push([word, value]);
    const first = word.slice(0, 2);
    const list = this.byFirst.get(first) ?? [];
    list.push([word, value]);
    this.byFirst.set(first, list);
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

  /** The exact entry or a prefix entry, never the squeezed key. */
  getWritten(token: string): T | undefined {
    const hit = this.exact.get(token);
    if (hit !== undefined) return hit;
    const list = this.byFirst.get(token.slice(0, 2));
    if (list) {
      for (const [p, v] of list) if (token.startsWith(p)) return v;
    }
    return undefined;
  }

  private lookup(token: string): T | undefined {
    const written = this.getWritten(token);
    if (written !== undefined) return written;
    // A stretched word ("fuuck", "biiitch") or a long misspelling ("conard") may meet an entry on its
    // squeezed key; a short plain word may not ("as" is not "ass").
    const sq = squeeze(token);
    if (sq === token && token.length < 5) return undefined;
    // A compiled lexicon keeps only the squeezed keys whose answer differs from the exact entry.
    return this.squeezed.get(sq) ?? this.exact.get(sq);
  }

  get size(): number {
    return this.exact.size + this.prefixes.length;
  }
}

/** Builds a lexicon from a space-separated word list, every word with the same value. */
/** A space-separated list of words as a set (lists of folded words the detectors test membership in). */
export function wordSet(list: string): Set<string> {
  return new Set(list.split(' '));
}

export function wordsOf<T>(list: string, value: T): Array<[string, T]> {
  return list
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => [w, value] as [string, T]);
}
