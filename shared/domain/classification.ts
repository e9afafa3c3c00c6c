/**
 * The classification contract (DESIGN.md): every comment gets each field, and says which engine
 * decided it and how sure it is.
 */
export const INTENTS = ['question', 'suggestion', 'complaint', 'praise', 'other'] as const;
export type Intent = (typeof INTENTS)[number];

export const SENTIMENTS = ['positive', 'negative', 'neutral', 'mixed'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const TOXIC_LABELS = ['insult', 'hate', 'threat', 'profanity', 'sexual', 'harassment'] as const;
export type ToxicLabel = (typeof TOXIC_LABELS)[number];

/** `local-fallback`: Comprehend was asked but could not answer, so the local engine's answer stands. */
export type EngineName = 'local' | 'comprehend' | 'local-fallback';

export interface SentimentScores {
  positive: number;
  negative: number;
  neutral: number;
  mixed: number;
}

export interface Classification {
  intent: Intent;
  /** Every intent that applies, primary first ("Why hasn't my order arrived?" is a question and a complaint). */
  intents: Intent[];
  sentiment: { label: Sentiment; scores: SentimentScores };
  /** ISO 639-1, or `und` when nothing can be told (emoji only, a bare link). */
  language: string;
  toxic: { flag: boolean; labels: ToxicLabel[]; score: number };
  spam: { flag: boolean; reasons: string[] };
  confidence: { intent: number; sentiment: number; language: number; toxic: number; spam: number };
  engine: {
    intent: EngineName;
    sentiment: EngineName;
    language: EngineName;
    toxic: EngineName;
    spam: EngineName;
  };
}

/**
 * A classification as the store keeps it: what is read back (routing and counters on an edit, the
 * notification's figures), not the scores, confidences and engines the classifier also gives.
 */
export interface KeptClassification {
  intent: Intent;
  intents: Intent[];
  sentiment: { label: Sentiment };
  language: string;
  toxic: { flag: boolean; labels: ToxicLabel[] };
  spam: { flag: boolean; reasons: string[] };
}

export function keptClassification(c: KeptClassification): KeptClassification {
  return {
    intent: c.intent,
    intents: c.intents,
    sentiment: { label: c.sentiment.label },
    language: c.language,
    toxic: { flag: c.toxic.flag, labels: c.toxic.labels },
    spam: { flag: c.spam.flag, reasons: c.spam.reasons },
  };
}

export interface ClassifyInput {
  id?: string;
  text: string;
  /** A language hint (ISO 639-1) when the platform or caller knows it. */
  lang?: string;
}

/** The port the process function classifies through: a batch in, one result per input, in order. */
export interface Classifier {
  classify(inputs: readonly ClassifyInput[]): Promise<Classification[]>;
}
