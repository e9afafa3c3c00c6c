import { describe, expect, it } from 'vitest';
import type { ComprehendApi } from '../../../shared/adapters/comprehend.ts';
import { createCascadeClassifier } from '../../../shared/classify/cascade.ts';
import { createComprehendEngine } from '../../../shared/classify/comprehend-engine.ts';
import { createLocalClassifier } from '../../../shared/classify/local-engine.ts';

function countingApi(overrides: Partial<ComprehendApi> = {}) {
  const calls: string[] = [];
  const api: ComprehendApi = {
    async batchDetectSentiment(lang, texts) {
      calls.push(`sentiment:${lang}:${texts.length}`);
      return {
        results: texts.map((_, index) => ({
          index,
          sentiment: 'MIXED' as const,
          scores: { positive: 0.3, negative: 0.3, neutral: 0.1, mixed: 0.3 },
        })),
        errors: [],
      };
    },
    async batchDetectDominantLanguage(texts) {
      calls.push(`language:${texts.length}`);
      return {
        results: texts.map((_, index) => ({ index, languages: [{ code: 'en', score: 0.99 }] })),
        errors: [],
      };
    },
    async detectToxicContent(texts) {
      calls.push(`toxic:${texts.length}`);
      return texts.map(() => ({ toxicity: 0.02, labels: [] }));
    },
    ...overrides,
  };
  return { api, calls };
}

const inputs = [
  { text: 'I love the new app, thanks a lot!' },
  { text: "Merci beaucoup pour la réponse, c'est parfait" },
  { text: 'ok' },
];

describe('cascade classifier', () => {
  it('never calls Comprehend with the policy off and spends no units', async () => {
    const { api, calls } = countingApi();
    const cascade = createCascadeClassifier({
      local: createLocalClassifier(),
      comprehend: createComprehendEngine({ api }),
      policy: 'off',
    });

    const { results, units } = await cascade.classifyWithUsage(inputs);

    expect(calls).toEqual([]);
    expect(units.total).toBe(0);
    expect(results.every((r) => r.engine.sentiment === 'local')).toBe(true);
  });

  it('asks sentiment for every comment in a supported language with the policy always', async () => {
    const { api, calls } = countingApi();
    const cascade = createCascadeClassifier({
      local: createLocalClassifier(),
      comprehend: createComprehendEngine({ api }),
      policy: 'always',
    });

    const { results, units } = await cascade.classifyWithUsage(inputs.slice(0, 2));

    expect(calls).toEqual(expect.arrayContaining(['sentiment:en:1', 'sentiment:fr:1', 'toxic:1']));
    expect(results.map((r) => r.engine.sentiment)).toEqual(['comprehend', 'comprehend']);
    expect(units.total).toBeGreaterThan(0);
  });

  it('asks only about comments the local engine is unsure of with the policy when-uncertain', async () => {
    const { api } = countingApi();
    const cascade = createCascadeClassifier({
      local: createLocalClassifier(),
      comprehend: createComprehendEngine({ api }),
      policy: 'when-uncertain',
    });

    const always = createCascadeClassifier({
      local: createLocalClassifier(),
      comprehend: createComprehendEngine({ api }),
      policy: 'always',
    });
    const spentUncertain = (await cascade.classifyWithUsage(inputs)).units.total;
    const spentAlways = (await always.classifyWithUsage(inputs)).units.total;

    expect(spentUncertain).toBeLessThan(spentAlways);
  });

  it('keeps every comment when Comprehend is down, marking the asked fields local-fallback', async () => {
    const down = async () => {
      throw new Error('service unavailable');
    };
    const { api } = countingApi({
      batchDetectSentiment: down,
      detectToxicContent: down,
      batchDetectDominantLanguage: down,
    });
    const cascade = createCascadeClassifier({
      local: createLocalClassifier(),
      comprehend: createComprehendEngine({ api }),
      policy: 'always',
    });

    const results = await cascade.classify(inputs);

    expect(results).toHaveLength(3);
    expect(results[0]?.engine.sentiment).toBe('local-fallback');
    expect(results[0]?.sentiment.label).toBe('positive');
  });

  it('adds up the units of every batch', async () => {
    const { api } = countingApi();
    const cascade = createCascadeClassifier({
      local: createLocalClassifier(),
      comprehend: createComprehendEngine({ api }),
      policy: 'always',
    });

    const first = (await cascade.classifyWithUsage(inputs)).units.total;
    const second = (await cascade.classifyWithUsage(inputs)).units.total;

    expect(cascade.usage().lastBatch.total).toBe(second);
    expect(cascade.usage().cumulative.total).toBe(first + second);
  });

  it('behaves as policy off when no Comprehend engine is given', async () => {
    const cascade = createCascadeClassifier({ local: createLocalClassifier(), policy: 'always' });

    const { units, results } = await cascade.classifyWithUsage(inputs);

    expect(units.total).toBe(0);
    expect(results).toHaveLength(3);
  });
});
