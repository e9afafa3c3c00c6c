/**
 * The only file that talks to Amazon Comprehend. It speaks in plain shapes so the Comprehend engine
 * (shared/classify/comprehend-engine.ts) and its tests never see SDK types.
 */
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectToxicContentCommand,
  type LanguageCode,
} from '@aws-sdk/client-comprehend';

export interface ItemError {
  /** Index in the list that was sent. */
  index: number;
  code: string;
  message: string;
}

export interface SentimentItem {
  index: number;
  sentiment: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';
  scores: { positive: number; negative: number; neutral: number; mixed: number };
}

export interface LanguageItem {
  index: number;
  languages: Array<{ code: string; score: number }>;
}

export interface ToxicItem {
  toxicity: number;
  labels: Array<{ name: string; score: number }>;
}

/** The calls the Comprehend engine makes; a test or a bench may hand in any object of this shape. */
export interface ComprehendApi {
  batchDetectSentiment(
    languageCode: string,
    texts: readonly string[],
  ): Promise<{ results: SentimentItem[]; errors: ItemError[] }>;
  batchDetectDominantLanguage(
    texts: readonly string[],
  ): Promise<{ results: LanguageItem[]; errors: ItemError[] }>;
  detectToxicContent(texts: readonly string[]): Promise<ToxicItem[]>;
}

export interface ComprehendAdapterOptions {
  /** Comprehend is not offered everywhere (not in eu-west-3): the region is the community's choice. */
  region?: string;
  /** SDK attempts per call, retries included. Kept low: a slow Comprehend must not hold a queue batch. */
  maxAttempts?: number;
  /** Gives up on one call after this long; the caller falls back to the local answer. */
  timeoutMs?: number;
  /** An already built client (tests, custom endpoints). */
  client?: ComprehendClient;
}

export class ComprehendAdapter implements ComprehendApi {
  private readonly client: ComprehendClient;
  private readonly timeoutMs: number;

  constructor(options: ComprehendAdapterOptions = {}) {
    this.client =
      options.client ??
      new ComprehendClient({
        ...(options.region ? { region: options.region } : {}),
        maxAttempts: options.maxAttempts ?? 2,
      });
    this.timeoutMs = options.timeoutMs ?? 3_000;
  }

  async batchDetectSentiment(languageCode: string, texts: readonly string[]) {
    const out = await this.client.send(
      new BatchDetectSentimentCommand({ LanguageCode: languageCode as LanguageCode, TextList: [...texts] }),
      { abortSignal: AbortSignal.timeout(this.timeoutMs) },
    );
    return {
      results: (out.ResultList ?? []).map((r) => ({
        index: r.Index ?? -1,
        sentiment: (r.Sentiment ?? 'NEUTRAL') as SentimentItem['sentiment'],
        scores: {
          positive: r.SentimentScore?.Positive ?? 0,
          negative: r.SentimentScore?.Negative ?? 0,
          neutral: r.SentimentScore?.Neutral ?? 0,
          mixed: r.SentimentScore?.Mixed ?? 0,
        },
      })),
      errors: toErrors(out.ErrorList),
    };
  }

  async batchDetectDominantLanguage(texts: readonly string[]) {
    const out = await this.client.send(new BatchDetectDominantLanguageCommand({ TextList: [...texts] }), {
      abortSignal: AbortSignal.timeout(this.timeoutMs),
    });
    return {
      results: (out.ResultList ?? []).map((r) => ({
        index: r.Index ?? -1,
        languages: (r.Languages ?? []).map((l) => ({ code: l.LanguageCode ?? 'und', score: l.Score ?? 0 })),
      })),
      errors: toErrors(out.ErrorList),
    };
  }

  async detectToxicContent(texts: readonly string[]) {
    const out = await this.client.send(
      new DetectToxicContentCommand({ LanguageCode: 'en', TextSegments: texts.map((Text) => ({ Text })) }),
      { abortSignal: AbortSignal.timeout(this.timeoutMs) },
    );
    return (out.ResultList ?? []).map((r) => ({
      toxicity: r.Toxicity ?? 0,
      labels: (r.Labels ?? []).map((l) => ({ name: l.Name ?? 'UNKNOWN', score: l.Score ?? 0 })),
    }));
  }
}

function toErrors(
  list: Array<{ Index?: number; ErrorCode?: string; ErrorMessage?: string }> | undefined,
): ItemError[] {
  return (list ?? []).map((e) => ({
    index: e.Index ?? -1,
    code: e.ErrorCode ?? 'UnknownError',
    message: e.ErrorMessage ?? '',
  }));
}
