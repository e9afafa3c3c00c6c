import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_PATH, generateLexiconModule } from '../../../eval/build-lexicons.ts';
import { Lexicon } from '../../../shared/classify/lexicon.ts';
import {
  lexiconFileNames,
  REQUIRED_HEADER,
  readLexiconFile,
} from '../../../shared/classify/lexicon-files.ts';
import { cuePhrases, valenceSources } from '../../../shared/classify/lexicon-sources.ts';

describe('lexicon data files', () => {
  it.each(lexiconFileNames())(
    '%s.txt says what it is, where it came from and under which licence',
    (name) => {
      const file = readLexiconFile(name);

      for (const key of REQUIRED_HEADER) expect(file.header[key], key).toBeTruthy();
      expect(file.rows.length).toBeGreaterThan(0);
    },
  );

  it('lexicons.generated.ts is what the generator writes from the data files', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generateLexiconModule());
  });

  it('gives every cue phrase at least one folded word', () => {
    for (const lang of ['en', 'fr'] as const)
      for (const line of cuePhrases(lang).split('\n')) expect(line.split(' ').length).toBeGreaterThan(1);
  });
});

describe('Lexicon', () => {
  it('a compiled lexicon answers exactly like the lexicon it was compiled from', () => {
    const source = new Lexicon<number>([
      ['connard', -3],
      ['nul', -2],
      ['arnaque*', -2],
      ['génial', 2],
      ['super', 2],
      ['arnaquer', 1],
    ]);
    const compiled = Lexicon.fromCompiled(source.compile());
    const probes = [
      'connard',
      'conard',
      'connnard',
      'nul',
      'arnaques',
      'arnaquer',
      'genial',
      'super',
      'as',
      'bof',
    ];

    expect(probes.map((p) => compiled.get(p))).toEqual(probes.map((p) => source.get(p)));
  });

  it('reads French words in their French sense', () => {
    const { en, fr } = valenceSources();

    expect(fr.get('hate')).toBeGreaterThan(0);
    expect(en.get('hate')).toBeLessThan(0);
  });
});
