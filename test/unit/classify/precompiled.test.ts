import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_PATH, generateLexiconModule } from '../../../eval/build-lexicons.ts';
import { Lexicon, wordsOf } from '../../../shared/classify/lexicon.ts';
import { valenceSources } from '../../../shared/classify/lexicon-sources.ts';
import { fold, stripNoise } from '../../../shared/classify/normalize.ts';
import { bounded } from '../../../shared/classify/regex.ts';

describe('precompiled lexicons', () => {
  it('lexicons.generated.ts is what the generator writes from the current sources', () => {
    const onDisk = readFileSync(GENERATED_PATH, 'utf8');

    expect(onDisk).toBe(generateLexiconModule());
  });

  it('a compiled lexicon answers exactly like the lexicon it was compiled from', () => {
    const source = new Lexicon<number>([
      ...wordsOf('connard nul arnaque* génial', -2),
      ['super', 2],
      ['connard', -3],
      ['arnaquer', 1],
    ]);
    const compiled = Lexicon.fromCompiled(source.compile());
    const probes = [
      'connard',
      'conard',
      'connnard',
      'nul',
      'nuul',
      'arnaques',
      'arnaquer',
      'genial',
      'geniaal',
      'super',
      'as',
      'bof',
    ];

    expect(probes.map((p) => compiled.get(p))).toEqual(probes.map((p) => source.get(p)));
  });

  it('the shipped valence lexicons answer like the ones built from the word lists', async () => {
    const { VALENCE_EN, VALENCE_FR } = await import('../../../shared/classify/lexicons.generated.ts');
    const { en, fr } = valenceSources();
    const probes = [
      'love',
      'loove',
      'terrible',
      'sucks',
      'nul',
      'magnifique',
      'catastrophique',
      'protegee',
      'tabarnak',
    ];

    expect(probes.map((p) => Lexicon.fromCompiled(VALENCE_EN).get(p))).toEqual(probes.map((p) => en.get(p)));
    expect(probes.map((p) => Lexicon.fromCompiled(VALENCE_FR).get(p))).toEqual(probes.map((p) => fr.get(p)));
  });
});

describe('faster forms of the same tests', () => {
  it('bounded() accepts and rejects the same texts as the \\b expression it rewrites', () => {
    const re = /\b(?:still (?:not|no)|refund\w*|\bmust (?:be|have)\b|why (?:is|are) my)\b/;
    const texts = [
      'still not here',
      'stillnot',
      'refunded?',
      'prerefund',
      'it must be fixed',
      'mustbe',
      'why is my',
      'whyis my',
      'xstill not',
    ];

    expect(texts.map((t) => bounded(re).test(t))).toEqual(texts.map((t) => re.test(t)));
  });

  it('folds plain ASCII and accented text the same way', () => {
    expect(fold('Sooooo GOOD!!! c0nnard')).toBe('soo good connard');
    expect(fold('Trèèès décevant… l’équipe')).toBe("trees decevant l'equipe");
  });

  it('leaves a comment without link, address or mention untouched', () => {
    expect(stripNoise('just a plain comment, nothing else')).toBe('just a plain comment, nothing else');
    expect(stripNoise('see www.example.com and @brand or me@mail.com').replace(/\s+/g, ' ').trim()).toBe(
      'see and or',
    );
  });
});
