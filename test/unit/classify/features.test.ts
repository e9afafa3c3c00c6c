import { describe, expect, it } from 'vitest';
import {
  copyVector,
  extract,
  type FeatureConfig,
  NAMED_FEATURES,
  namedValues,
} from '../../../shared/classify/features.ts';
import { analyse } from '../../../shared/classify/tokenize.ts';

const config: FeatureConfig = { hashBits: 12, charMin: 2, charMax: 4 };

function named(text: string, language = 'en'): Record<string, number> {
  return namedValues(extract(analyse(text), language, config), config);
}

describe('named features', () => {
  it('has a name and a reason for every feature, each name once', () => {
    const names = NAMED_FEATURES.map(([n]) => n);

    expect(new Set(names).size).toBe(names.length);
    for (const [, why] of NAMED_FEATURES) expect(why.length).toBeGreaterThan(10);
  });

  it('sees a question word opening a clause after a greeting, in English and in French', () => {
    expect(named('hi, why is my order late')['question-word-start']).toBeGreaterThan(0);
    expect(named('Bonjour, pourquoi ma commande est en retard', 'fr')['question-word-start']).toBeGreaterThan(
      0,
    );
    expect(named('no idea why')['question-word-start']).toBeUndefined();
  });

  it('sees an English inverted auxiliary only when a subject follows', () => {
    expect(named('do you ship to Canada')['auxiliary-inversion']).toBe(1);
    expect(named('do not worry')['auxiliary-inversion']).toBeUndefined();
    expect(named('they do you a favour')['auxiliary-inversion']).toBeUndefined();
  });

  it('reads valence inside a negation scope as negated', () => {
    const plain = named('this is good');
    const negated = named('this is not good');

    expect(plain['valence-positive']).toBeGreaterThan(0);
    expect(negated['valence-positive']).toBeUndefined();
    expect(negated['negated-positive']).toBeGreaterThan(0);
  });

  it('reads the French lexicons for a French comment', () => {
    expect(named("ce n'est pas terrible", 'fr').negator).toBeGreaterThan(0);
    expect(named('ce serait bien d’ajouter un mode sombre', 'fr').request).toBeGreaterThan(0);
    expect(named('toujours pas reçu ma commande', 'fr').complaint).toBeGreaterThan(0);
  });

  it('sees an insult said to someone', () => {
    expect(named('you are such an idiot')['insult-addressed']).toBeGreaterThan(0);
    expect(named('the idiot box is on')['insult-addressed']).toBeUndefined();
  });

  it('sees time gone by and spam cues', () => {
    expect(named('it has been 3 weeks')['time-elapsed']).toBeGreaterThan(0);
    expect(named('check out my channel and subscribe')['self-promotion']).toBeGreaterThan(0);
    expect(named('call 06 12 34 56 78 on whatsapp')['phone-number']).toBe(1);
  });

  it('collects the evidence that explains labels', () => {
    const evidence = { toxic: new Set<string>(), spam: new Set<string>() };
    extract(analyse('espèce de connard, abonnez-vous à ma chaîne http://x.io'), 'fr', config, evidence);

    expect([...evidence.toxic]).toContain('insult');
    expect([...evidence.spam]).toEqual(expect.arrayContaining(['self-promotion', 'link']));
  });
});

describe('feature vector', () => {
  it('keeps hashed indices inside the buckets and named ones just after', () => {
    const v = extract(analyse('Why is my order still not here? 😡 @shop'), 'en', config);
    const base = 1 << config.hashBits;

    for (let i = 0; i < v.n; i++) {
      expect(v.idx[i]).toBeGreaterThanOrEqual(0);
      expect(v.idx[i]).toBeLessThan(base + NAMED_FEATURES.length);
    }
  });

  it('gives the same vector for the same text, whatever came before', () => {
    const first = copyVector(extract(analyse('Merci pour votre aide'), 'fr', config));
    extract(analyse('something else entirely, with other words'), 'en', config);
    const again = copyVector(extract(analyse('Merci pour votre aide'), 'fr', config));

    expect(Array.from(again.idx)).toEqual(Array.from(first.idx));
    expect(Array.from(again.val)).toEqual(Array.from(first.val));
  });

  it('adds character n-grams only when the configuration asks for them', () => {
    const words = extract(analyse('bonjour'), 'fr', { ...config, charMax: 0 }).n;
    const chars = extract(analyse('bonjour'), 'fr', config).n;

    expect(chars).toBeGreaterThan(words);
  });
});
