/**
 * One classifier for the process function: the local engine always answers, and Comprehend refines
 * some fields according to the community's policy. Units spent are counted per batch so the caller
 * can log them and emit a metric.
 */
import type { Classification, Classifier, ClassifyInput } from '../domain/classification.ts';
import {
  type ComprehendEngine,
  emptyUnits,
  type RefineRequest,
  SENTIMENT_LANGUAGES,
  type UnitsSpent,
} from './comprehend-engine.ts';

export const COMPREHEND_POLICIES = ['off', 'always', 'when-uncertain'] as const;
export type ComprehendPolicy = (typeof COMPREHEND_POLICIES)[number];

export interface UncertaintyThresholds {
  /** Local language confidence under which Comprehend's BatchDetectDominantLanguage is asked. */
  language: number;
  /** Local sentiment confidence under which Comprehend is asked (when-uncertain). */
  sentiment: number;
  /** Local toxicity confidence under which Comprehend is asked (when-uncertain, English only). */
  toxic: number;
}

export const DEFAULT_THRESHOLDS: UncertaintyThresholds = { language: 0.6, sentiment: 0.6, toxic: 0.6 };

export interface CascadeOptions {
  /** Anything that answers one comment synchronously or a batch; the local engine by default. */
  local: Classifier;
  /** Absent: the policy is treated as `off` (local runs, tests, regions without Comprehend). */
  comprehend?: ComprehendEngine;
  policy: ComprehendPolicy;
  thresholds?: Partial<UncertaintyThresholds>;
}

export interface CascadeResult {
  results: Classification[];
  units: UnitsSpent;
}

export interface CascadeClassifier extends Classifier {
  /** Same as `classify`, with the Comprehend units this batch spent. */
  classifyWithUsage(inputs: readonly ClassifyInput[]): Promise<CascadeResult>;
  /** Units spent by the last batch and since the classifier was built. */
  usage(): { lastBatch: UnitsSpent; cumulative: UnitsSpent };
}

export function createCascadeClassifier(options: CascadeOptions): CascadeClassifier {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  let lastBatch = emptyUnits();
  const cumulative = emptyUnits();

  const plan = (input: ClassifyInput, local: Classification): RefineRequest['fields'] => {
    const policy = options.comprehend ? options.policy : 'off';
    if (policy === 'off') return {};
    // A caller's language hint is trusted; so is a confident local guess.
    const language = !input.lang && local.confidence.language < thresholds.language;
    if (policy === 'always') return { language, sentiment: true, toxic: true };
    const sentiment = local.confidence.sentiment < thresholds.sentiment;
    const toxic = local.language === 'en' && local.confidence.toxic < thresholds.toxic;
    // Comprehend's language answer only matters if it then decides a field.
    return { language: language && (sentiment || toxic), sentiment, toxic };
  };

  const classifyWithUsage = async (inputs: readonly ClassifyInput[]): Promise<CascadeResult> => {
    const locals = await options.local.classify(inputs);
    const requests: RefineRequest[] = [];
    const positions: number[] = [];
    for (const [i, input] of inputs.entries()) {
      const local = locals[i] as Classification;
      const fields = plan(input, local);
      if (!fields.language && !fields.sentiment && !fields.toxic) continue;
      // Nothing to gain on a language Comprehend cannot read, unless its language answer might change that.
      if (!fields.language && !SENTIMENT_LANGUAGES.has(local.language)) continue;
      requests.push({ text: input.text, local, fields });
      positions.push(i);
    }
    let units = emptyUnits();
    const results = [...locals];
    if (requests.length > 0 && options.comprehend) {
      try {
        const refined = await options.comprehend.refine(requests);
        units = refined.units;
        for (const [k, pos] of positions.entries()) results[pos] = refined.results[k] as Classification;
      } catch {
        // The engine handles Comprehend's failures itself; this guards against its own bugs, so a
        // comment is still never dropped.
        for (const [k, pos] of positions.entries()) {
          const res = structuredClone(results[pos] as Classification);
          const f = (requests[k] as RefineRequest).fields;
          if (f.language) res.engine.language = 'local-fallback';
          if (f.sentiment) res.engine.sentiment = 'local-fallback';
          if (f.toxic) res.engine.toxic = 'local-fallback';
          results[pos] = res;
        }
      }
    }
    lastBatch = units;
    for (const key of Object.keys(cumulative) as Array<keyof UnitsSpent>) cumulative[key] += units[key];
    return { results, units };
  };

  return {
    async classify(inputs) {
      return (await classifyWithUsage(inputs)).results;
    },
    classifyWithUsage,
    usage: () => ({ lastBatch: { ...lastBatch }, cumulative: { ...cumulative } }),
  };
}
