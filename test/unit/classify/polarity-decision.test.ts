import { describe, expect, it } from 'vitest';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';
import { fold, tokens } from '../../../shared/classify/normalize.ts';
import {
  CALIBRATION,
  scoreSentiment,
  toResult,
  withNegativeEvidence,
} from '../../../shared/classify/sentiment.ts';

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
    const withContrast = sentimentOf('wonderful screen but bad battery');
    const result = sentimentOf('wonderful screen, bad battery');
    expect(withContrast.label).toBe('mixed');
    expect(result.label).toBe('positive');
  });
});

describe('sentiment: one clearly evaluative word', () => {
  it('leaves neutral in English on one AFINN ±2 word alone', () => {
    expect(sentimentOf('The staff seemed incompetent').label).toBe('negative');
  });

  it('keeps neutral on a tie with the neutral mass when the calibration says so', () => {
    const result = toResult(1.2, 0, false, { neutralMass: 1.2, polarOnTie: false });
    expect(result.label).toBe('neutral');
  });

  it('breaks the same tie toward the polar side when asked to', () => {
    expect(toResult(1.2, 0, false, { neutralMass: 1.2, polarOnTie: true }).label).toBe('positive');
  });

  it('asks less evidence of a French comment than of an English one', () => {
    // Arrange: one mild word's weight, less than the English neutral mass.
    const mild = 1;
    // Act
    const en = toResult(mild, 0, false, CALIBRATION.en);
    const fr = toResult(mild, 0, false, CALIBRATION.fr);
    // Assert
    expect(en.label).toBe('neutral');
    expect(fr.label).toBe('positive');
  });
});

describe('sentiment: evidence from the other detectors', () => {
  it('turns a neutral reading negative when a complaint or an insult was found', () => {
    // Arrange
    const neutral = toResult(0, 0, false, CALIBRATION.en);
    // Act
    const result = withNegativeEvidence(neutral, 1.2);
    // Assert
    expect(neutral.label).toBe('neutral');
    expect(result.label).toBe('negative');
  });

  it('reads a complaint with no valence word as negative', () => {
    // Arrange: a named problem and nothing in the valence lists.
    const text = 'My parcel was supposed to come on Monday';
    // Act
    const result = classifyLocally({ text });
    // Assert
    expect(result.intents).toContain('complaint');
    expect(result.sentiment.label).toBe('negative');
  });

  it('reads an insult with no valence word as negative', () => {
    const result = classifyLocally({ text: 'go back to your country' });
    expect(result.toxic.flag).toBe(true);
    expect(result.sentiment.label).toBe('negative');
  });
});

describe('sentiment: French negation and litotes', () => {
  it('flips a word followed by "plus" after "ne"', () => {
    expect(sentimentOf("je n'aime plus cette appli", 'fr').label).toBe('negative');
  });

  it('flips a word before "plus" after "ne" ("n\'est plus efficace")', () => {
    expect(sentimentOf("ce service n'est plus efficace", 'fr').label).toBe('negative');
  });

  it('reads "plus" with no "ne" as the comparative, not a negation', () => {
    expect(sentimentOf('ce service est plus efficace', 'fr').neg).toBe(0);
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
