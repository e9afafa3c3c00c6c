/**
 * Reads the lexicon data files of `shared/classify/lexicons/`: a header of `# key: value` lines (what,
 * source, licence, columns), then one entry a line, columns separated by tabs, `#` lines are comments.
 * Only `eval/build-lexicons.ts` and the tests read these files; the engine reads the compiled form.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LEXICON_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lexicons');

export interface LexiconFile {
  name: string;
  header: Record<string, string>;
  /** The entries' columns, in file order. */
  rows: string[][];
}

/** The header keys every lexicon file must have: a person reading it must know where it came from. */
export const REQUIRED_HEADER = ['lexicon', 'what', 'source', 'licence', 'columns'] as const;

export function parseLexiconFile(name: string, text: string): LexiconFile {
  const header: Record<string, string> = {};
  const rows: string[][] = [];
  let key: string | undefined;
  let inHeader = true;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      if (!inHeader) continue;
      const m = /^#\s*([a-z]+):\s?(.*)$/.exec(line);
      if (m?.[1]) {
        key = m[1];
        header[key] = m[2] ?? '';
      } else if (key && line.startsWith('#   ')) header[key] = `${header[key]} ${line.slice(4).trim()}`;
      else key = undefined;
      continue;
    }
    inHeader = false;
    if (!line.trim()) continue;
    rows.push(line.split('\t'));
  }
  return { name, header, rows };
}

export function readLexiconFile(name: string, dir = LEXICON_DIR): LexiconFile {
  return parseLexiconFile(name, readFileSync(join(dir, `${name}.txt`), 'utf8'));
}

export function lexiconFileNames(dir = LEXICON_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.slice(0, -4))
    .sort();
}
