import { describe, expect, it } from 'vitest';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';
import { fold, tokens } from '../../../shared/classify/normalize.ts';
import { scoreSentiment, toResult, withNegativeEvidence } from '../../../shared/classify/sentiment.ts';

function sentimentOf(text: string, language = 'en') {
  return scoreSentiment(text, tokens(fold(text)), language);
}

describe('sentiment: when a comment counts as mixed', () => {
  it('calls two strong sides joined by "but" mixed', () => {
    // Arrange
    const text = 'The screen is wonderful but the battery is terrible';
    // Act
    const result = sentimentOf(text);
    // Assert
    expect(result.label).toBe('mixed');
  });

  it('calls two strong sides joined by "mais" mixed in French', () => {
    expect(sentimentOf("L'écran est magnifique mais la batterie est horrible", 'fr').label).toBe('mixed');
  });

  it('gives two strong sides without a contrast word to the stronger side, not mixed', () => {
    // Same two words, no "but": the author did not weigh one against the other.
    const result = sentimentOf('wonderful wonderful terrible');
    expect(result.label).toBe('positive');
  });
});

describe('sentiment: one clearly evaluative word', () => {
  it('leaves neutral in English on one AFINN ±2 word alone', () => {
    expect(sentimentOf('The staff seemed incompetent').label).toBe('negative');
  });

  it('stays neutral in French on one translated word alone (a tie keeps neutral there)', () => {
    const result = toResult(1.2, 0, false, false);
    expect(result.label).toBe('neutral');
  });

  it('breaks the same tie toward the polar side when asked to', () => {
    expect(toResult(1.2, 0, false, true).label).toBe('positive');
  });
});

describe('sentiment: evidence from the other detectors', () => {
  it('turns a neutral reading negative when a complaint or an insult was found', () => {
    // Arrange
    const neutral = toResult(0, 0, false, true);
    // Act
    const result = withNegativeEvidence(neutral, 1.2);
    // Assert
    expect(neutral.label).toBe('neutral');
    expect(result.label).toBe('negative');
  });

  it('reads a complaint with no valence word as negative', () => {
    expect(classifyLocally({ text: 'My headphones are no longer charging' }).sentiment.label).toBe(
      'negative',
    );
  });

  it('reads an insult with no valence word as negative', () => {
    expect(classifyLocally({ text: 'look at this clown talking about football' }).sentiment.label).toBe(
      'negative',
    );
  });
});

describe('sentiment: French negation and litotes', () => {
  it('flips a word followed by "plus" after "ne"', () => {
    expect(sentimentOf("je n'aime plus cette appli", 'fr').label).toBe('negative');
  });

  it('flips a word followed by "jamais" after "ne"', () => {
    expect(sentimentOf("ils ne répondent jamais, c'est ne apprécie jamais", 'fr').neg).toBeGreaterThan(0);
  });

  it('does not flip a word followed by "plus" without "ne" ("bien plus rapide")', () => {
    expect(sentimentOf('cette version est bien plus rapide', 'fr').label).toBe('positive');
  });

  it.each([
    ['pas mal ce nouveau menu', 'fr'],
    ['not bad at all for the price', 'en'],
  ])('reads the litotes in "%s" as mildly positive', (text, language) => {
    expect(sentimentOf(text, language).label).toBe('positive');
  });

  it('does not read the quantity "pas mal de" as praise', () => {
    expect(sentimentOf("il y a pas mal de monde aujourd'hui", 'fr').label).toBe('neutral');
  });
});

describe('intent and toxicity: rules added with the polarity pass', () => {
  it.each([
    'My headphones are no longer charging',
    'We had to stop using the app',
    "the page won't even load",
  ])('reads "%s" as a complaint', (text) => {
    expect(classifyLocally({ text }).intents).toContain('complaint');
  });

  it.each([
    'look at this clown talking about football',
    'those lying crooks again',
    'encore ce guignol à la télé',
  ])('flags a person pointed at with an insulting noun in "%s"', (text) => {
    expect(classifyLocally({ text }).toxic.flag).toBe(true);
  });

  it('does not flag "this joke" told at a party', () => {
    expect(classifyLocally({ text: 'this joke made everyone laugh' }).toxic.flag).toBe(false);
  });
});
