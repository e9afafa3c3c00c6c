import type {
  Classification,
  Classifier,
  ClassifyInput,
  Intent,
  ToxicLabel,
} from '../domain/classification.ts';
import { TOXIC_LABELS } from '../domain/classification.ts';
import { type Evidence, extract } from './features.ts';
import { detectLanguage } from './language.ts';
import { MODEL } from './model.generated.ts';
import { loadModel, type Scores } from './model.ts';
import { analyse } from './tokenize.ts';

/**
 * The local engine: no network, no cost, French and English first. Each comment is read once
 * (tokenize.ts), turned into one feature vector (features.ts) and scored by one calibrated logistic
 * model per decision (model.ts, weights from `npm run train`). Labels come from the probabilities and
 * the thresholds cross-validation chose; the named features that fired explain the toxic labels and
 * the spam reasons.
 */
const model = loadModel(MODEL);
const thresholds = MODEL.thresholds;

/**
 * Sentiment is `mixed` when both positive and negative hold at least this probability. The model has
 * no mixed class (no source has mixed gold, so no figure can choose this value): 0.4 each leaves
 * neutral at most 0.2, a comment the model reads as strongly positive and strongly negative at once.
 */
export const MIXED_MIN = 0.4;

/** Intents in the order a tie is broken: a complaint phrased as a question needs support first. */
const INTENT_ORDER: readonly Exclude<Intent, 'other'>[] = ['complaint', 'question', 'suggestion', 'praise'];

/** Toxic lexicon categories that name a contract label. */
const TOXIC_LABEL_SET = new Set<string>(TOXIC_LABELS);
/** The label of a comment the toxic model flags without a listed word: most such comments insult. */
const DEFAULT_TOXIC_LABEL: ToxicLabel = 'insult';
/** The reason given when the spam model flags a comment and no named spam cue fired. */
const DEFAULT_SPAM_REASON = 'spam-model';

/** Classifies one comment in-process. */
export function classifyLocally(input: ClassifyInput): Classification {
  const text = input.text ?? '';
  const a = analyse(text);
  const lang = detectLanguage(text, input.lang, a);
  const evidence: Evidence = { toxic: new Set(), spam: new Set() };
  const s = model.score(extract(a, lang.language, MODEL.features, evidence));

  const found = INTENT_ORDER.filter((i) => s[i] >= thresholds[i]);
  // Complaint first when present (it needs an apology and the support team), then the likeliest.
  const rest = found.filter((i) => i !== 'complaint').sort((x, y) => s[y] - s[x]);
  const intents: Intent[] = found.includes('complaint') ? ['complaint', ...rest] : rest;
  const primary = intents[0];
  const intentConfidence = primary
    ? s[primary as Exclude<Intent, 'other'>]
    : 1 - Math.max(s.question, s.suggestion, s.complaint, s.praise);

  const sentiment = sentimentOf(s);
  const toxicFlag = s.toxic >= thresholds.toxic;
  const spamFlag = s.spam >= thresholds.spam;
  const toxicLabels = [...evidence.toxic].filter((l): l is ToxicLabel => TOXIC_LABEL_SET.has(l));
  return {
    intent: primary ?? 'other',
    intents: intents.length > 0 ? intents : ['other'],
    sentiment: { label: sentiment.label, scores: sentiment.scores },
    language: lang.language,
    toxic: {
      flag: toxicFlag,
      labels: toxicFlag ? (toxicLabels.length > 0 ? toxicLabels : [DEFAULT_TOXIC_LABEL]) : [],
      score: round(s.toxic),
    },
    spam: {
      flag: spamFlag,
      reasons: spamFlag ? (evidence.spam.size > 0 ? [...evidence.spam] : [DEFAULT_SPAM_REASON]) : [],
    },
    confidence: {
      intent: round(intentConfidence),
      sentiment: round(sentiment.confidence),
      language: round(lang.confidence),
      toxic: round(Math.max(s.toxic, 1 - s.toxic)),
      spam: round(Math.max(s.spam, 1 - s.spam)),
    },
    scores: {
      question: round(s.question),
      suggestion: round(s.suggestion),
      complaint: round(s.complaint),
      praise: round(s.praise),
      toxic: round(s.toxic),
      spam: round(s.spam),
      sentiment: {
        positive: round(s.sentiment.positive),
        negative: round(s.sentiment.negative),
        neutral: round(s.sentiment.neutral),
      },
    },
    engine: { intent: 'local', sentiment: 'local', language: 'local', toxic: 'local', spam: 'local' },
  };
}

function sentimentOf(s: Scores): {
  label: Classification['sentiment']['label'];
  scores: Classification['sentiment']['scores'];
  confidence: number;
} {
  const { positive, negative, neutral } = s.sentiment;
  // The mass both ways is what mixed takes from positive and negative, half from each.
  const both = Math.min(positive, negative);
  const scores = {
    positive: round(positive - both / 2),
    negative: round(negative - both / 2),
    neutral: round(neutral),
    mixed: round(both),
  };
  if (both >= MIXED_MIN) return { label: 'mixed', scores, confidence: both };
  const label =
    positive >= negative && positive >= neutral ? 'positive' : negative >= neutral ? 'negative' : 'neutral';
  return { label, scores, confidence: Math.max(positive, negative, neutral) };
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
