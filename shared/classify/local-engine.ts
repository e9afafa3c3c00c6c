import type { Classification, Classifier, ClassifyInput } from '../domain/classification.ts';
import { detectIntent } from './intent.ts';
import { detectLanguage } from './language.ts';
import { fold, stripNoise, tokens } from './normalize.ts';
import { scoreSentiment, withNegativeEvidence } from './sentiment.ts';
import { scoreSpam } from './spam.ts';
import { scoreToxicity } from './toxicity.ts';

/** A complaint or an insult found by the other detectors weighs like one mild negative word (AFINN -2). */
const OTHER_DETECTOR_EVIDENCE = 1.2;

/** Classifies one comment in-process: no network, no cost, French and English first. */
export function classifyLocally(input: ClassifyInput): Classification {
  const text = input.text ?? '';
  // Links and @handles carry no sentiment or insult, and their letters would only add false hits.
  const content = stripNoise(text);
  const folded = fold(content);
  const toks = tokens(folded);
  const lang = detectLanguage(text, input.lang, content, toks);
  const base = scoreSentiment(text, toks, lang.language);
  const intent = detectIntent(text, base);
  const toxic = scoreToxicity(content, folded, toks, lang.language);
  const sentiment = withNegativeEvidence(
    base,
    (intent.intents.includes('complaint') ? OTHER_DETECTOR_EVIDENCE : 0) +
      (toxic.flag ? OTHER_DETECTOR_EVIDENCE : 0),
  );
  const spam = scoreSpam(text, toks);
  return {
    intent: intent.intent,
    intents: intent.intents,
    sentiment: { label: sentiment.label, scores: sentiment.scores },
    language: lang.language,
    toxic: { flag: toxic.flag, labels: toxic.labels, score: toxic.score },
    spam: { flag: spam.flag, reasons: spam.reasons },
    confidence: {
      intent: intent.confidence,
      sentiment: sentiment.confidence,
      language: round(lang.confidence),
      toxic: toxic.confidence,
      spam: spam.confidence,
    },
    engine: { intent: 'local', sentiment: 'local', language: 'local', toxic: 'local', spam: 'local' },
  };
}

export function createLocalClassifier(): Classifier {
  return {
    async classify(inputs: readonly ClassifyInput[]): Promise<Classification[]> {
      return inputs.map(classifyLocally);
    },
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
