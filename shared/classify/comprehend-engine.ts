/**
 * Asks Amazon Comprehend to refine fields the local engine already decided. Whatever Comprehend
 * cannot answer (throttling, outage, an ErrorList entry, a language it does not take) keeps the
 * local answer, marked `local-fallback` when Comprehend was asked and failed.
 */
import type { ComprehendApi } from '../adapters/comprehend.ts';
import type { Classification, Sentiment, ToxicLabel } from '../domain/classification.ts';

/** Languages BatchDetectSentiment takes (zh-TW is never produced by the local detector). */
export const SENTIMENT_LANGUAGES = new Set([
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'ar',
  'hi',
  'ja',
  'ko',
  'zh',
]);
/** DetectToxicContent is English only. */
export const TOXICITY_LANGUAGES = new Set(['en']);

export const LIMITS = {
  batchDocuments: 25,
  toxicSegments: 10,
  /** Comprehend reads only the first 500 characters for sentiment: sending more costs units for nothing. */
  sentimentChars: 500,
  documentBytes: 5_000,
  toxicSegmentBytes: 1_024,
  toxicRequestBytes: 10 * 1_024,
} as const;

export interface RefineRequest {
  text: string;
  local: Classification;
  /** Which fields to ask Comprehend about for this comment. */
  fields: { language?: boolean; sentiment?: boolean; toxic?: boolean };
}

/** Units of 100 characters, at least 3 per document: how Comprehend bills each document of a call. */
export interface UnitsSpent {
  sentiment: number;
  language: number;
  toxicity: number;
  total: number;
  /** API calls made, failed ones included. */
  calls: number;
  /** Documents whose field fell back to the local answer. */
  fallbacks: number;
}

export interface ComprehendEngine {
  refine(requests: readonly RefineRequest[]): Promise<{ results: Classification[]; units: UnitsSpent }>;
}

export function unitsFor(text: string): number {
  return Math.max(3, Math.ceil([...text].length / 100));
}

export function emptyUnits(): UnitsSpent {
  return { sentiment: 0, language: 0, toxicity: 0, total: 0, calls: 0, fallbacks: 0 };
}

const utf8 = new TextEncoder();
export function byteLength(text: string): number {
  return utf8.encode(text).length;
}

/** Cuts to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  let out = '';
  let size = 0;
  for (const ch of text) {
    const b = byteLength(ch);
    if (size + b > maxBytes) break;
    out += ch;
    size += b;
  }
  return out;
}

function firstChars(text: string, n: number): string {
  const chars = [...text];
  return chars.length <= n ? text : chars.slice(0, n).join('');
}

const TOXIC_LABELS: Record<string, ToxicLabel> = {
  PROFANITY: 'profanity',
  HATE_SPEECH: 'hate',
  INSULT: 'insult',
  HARASSMENT_OR_ABUSE: 'harassment',
  SEXUAL: 'sexual',
  VIOLENCE_OR_THREAT: 'threat',
  GRAPHIC: 'threat',
};

export interface ComprehendEngineOptions {
  api: ComprehendApi;
  /** A dominant-language answer below this score is not trusted over the local guess. */
  minLanguageScore?: number;
  /** DetectToxicContent's overall score at or above which a comment is flagged. */
  toxicThreshold?: number;
  /** Called once per failed call or failed document, for logging; never throws. */
  onError?: (op: string, error: unknown) => void;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createComprehendEngine(options: ComprehendEngineOptions): ComprehendEngine {
  const { api } = options;
  const minLanguageScore = options.minLanguageScore ?? 0.6;
  const toxicThreshold = options.toxicThreshold ?? 0.5;
  const report = (op: string, error: unknown) => {
    try {
      options.onError?.(op, error);
    } catch {
      // A logging failure must not turn into a classification failure.
    }
  };

  return {
    async refine(requests) {
      const units = emptyUnits();
      const results = requests.map((r) => structuredClone(r.local));
      const fallback = (i: number, field: keyof Classification['engine']) => {
        const res = results[i] as Classification;
        res.engine[field] = 'local-fallback';
        units.fallbacks++;
      };

      // Language first: sentiment is grouped by it.
      const langIdx = requests.flatMap((r, i) => (r.fields.language && r.text.trim() ? [i] : []));
      for (const group of chunks(langIdx, LIMITS.batchDocuments)) {
        const texts = group.map((i) =>
          truncateBytes((requests[i] as RefineRequest).text, LIMITS.documentBytes - 1),
        );
        units.calls++;
        for (const t of texts) units.language += unitsFor(t);
        try {
          const out = await api.batchDetectDominantLanguage(texts);
          for (const e of out.errors) {
            const i = group[e.index];
            if (i !== undefined) fallback(i, 'language');
            report('BatchDetectDominantLanguage', e);
          }
          for (const r of out.results) {
            const i = group[r.index];
            if (i === undefined) continue;
            const best = [...r.languages].sort((a, b) => b.score - a.score)[0];
            const res = results[i] as Classification;
            if (best && best.score >= minLanguageScore) {
              res.language = best.code.split('-')[0] ?? best.code;
              res.confidence.language = round(best.score);
              res.engine.language = 'comprehend';
            }
          }
        } catch (error) {
          report('BatchDetectDominantLanguage', error);
          for (const i of group) fallback(i, 'language');
        }
      }

      const sentimentWork = async () => {
        const byLang = new Map<string, number[]>();
        for (const [i, r] of requests.entries()) {
          if (!r.fields.sentiment || !r.text.trim()) continue;
          const lang = (results[i] as Classification).language;
          // Comprehend is not asked about a language it does not take: the local answer is the answer.
          if (!SENTIMENT_LANGUAGES.has(lang)) continue;
          const list = byLang.get(lang) ?? [];
          list.push(i);
          byLang.set(lang, list);
        }
        for (const [lang, idx] of byLang) {
          for (const group of chunks(idx, LIMITS.batchDocuments)) {
            const texts = group.map((i) =>
              truncateBytes(
                firstChars((requests[i] as RefineRequest).text, LIMITS.sentimentChars),
                LIMITS.documentBytes - 1,
              ),
            );
            units.calls++;
            for (const t of texts) units.sentiment += unitsFor(t);
            try {
              const out = await api.batchDetectSentiment(lang, texts);
              for (const e of out.errors) {
                const i = group[e.index];
                if (i !== undefined) fallback(i, 'sentiment');
                report('BatchDetectSentiment', e);
              }
              for (const r of out.results) {
                const i = group[r.index];
                if (i === undefined) continue;
                const res = results[i] as Classification;
                const label = r.sentiment.toLowerCase() as Sentiment;
                res.sentiment = { label, scores: roundScores(r.scores) };
                res.confidence.sentiment = round(r.scores[label]);
                res.engine.sentiment = 'comprehend';
              }
            } catch (error) {
              report('BatchDetectSentiment', error);
              for (const i of group) fallback(i, 'sentiment');
            }
          }
        }
      };

      const toxicWork = async () => {
        const idx = requests.flatMap((r, i) =>
          r.fields.toxic && r.text.trim() && TOXICITY_LANGUAGES.has((results[i] as Classification).language)
            ? [i]
            : [],
        );
        for (const group of chunks(idx, LIMITS.toxicSegments)) {
          const texts = group.map((i) =>
            truncateBytes((requests[i] as RefineRequest).text, LIMITS.toxicSegmentBytes),
          );
          units.calls++;
          for (const t of texts) units.toxicity += unitsFor(t);
          try {
            const out = await api.detectToxicContent(texts);
            for (const [k, r] of out.entries()) {
              const i = group[k];
              if (i === undefined) continue;
              const res = results[i] as Classification;
              const flag = r.toxicity >= toxicThreshold;
              const labels = [
                ...new Set(
                  r.labels
                    .filter((l) => l.score >= toxicThreshold)
                    .flatMap((l) => (TOXIC_LABELS[l.name] ? [TOXIC_LABELS[l.name] as ToxicLabel] : [])),
                ),
              ];
              res.toxic = { flag, labels: flag ? labels : [], score: round(r.toxicity) };
              res.confidence.toxic = round(Math.abs(r.toxicity - 0.5) * 2);
              res.engine.toxic = 'comprehend';
            }
            // A short answer leaves the unanswered segments on their local result.
            for (const i of group.slice(out.length)) fallback(i, 'toxic');
          } catch (error) {
            report('DetectToxicContent', error);
            for (const i of group) fallback(i, 'toxic');
          }
        }
      };

      await Promise.all([sentimentWork(), toxicWork()]);
      units.total = units.sentiment + units.language + units.toxicity;
      return { results, units };
    },
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function roundScores(s: { positive: number; negative: number; neutral: number; mixed: number }) {
  return {
    positive: round(s.positive),
    negative: round(s.negative),
    neutral: round(s.neutral),
    mixed: round(s.mixed),
  };
}
