import { describe, expect, it } from 'vitest';
import { frtCounters } from '../../../shared/domain/frt-sketch.ts';
import { addCounters, counterDelta, sumCounters, toKpis } from '../../../shared/domain/kpi.ts';

describe('KPI counters', () => {
  it('moves a comment from one intent to another without touching the volume', () => {
    const before = { comments: 1, memberComments: 1, 'intent:praise': 1, 'sentiment:positive': 1 };
    const after = { comments: 1, memberComments: 1, 'intent:complaint': 1, 'sentiment:negative': 1 };
    expect(counterDelta(before, after)).toEqual({
      'intent:praise': -1,
      'sentiment:positive': -1,
      'intent:complaint': 1,
      'sentiment:negative': 1,
    });
  });

  it('groups counters by dimension and sums days', () => {
    const a = { comments: 3, 'platform:slack': 2, 'platform:x': 1, 'language:fr': 3 };
    const b = { comments: 1, 'platform:slack': 1, 'language:en': 1 };
    expect(toKpis('a', a).byPlatform).toEqual({ slack: 2, x: 1 });
    expect(toKpis('week', sumCounters([a, b]))).toMatchObject({
      comments: 4,
      byPlatform: { slack: 3, x: 1 },
      byLanguage: { fr: 3, en: 1 },
    });
  });

  it('keeps the platform × intent × language × sentiment cross-section', () => {
    const counters = { 'volume:facebook|question|fr|negative': 2, 'volume:slack|praise|en|positive': 1 };
    expect(toKpis('d', counters).volume).toEqual([
      { platform: 'facebook', intent: 'question', language: 'fr', sentiment: 'negative', count: 2 },
      { platform: 'slack', intent: 'praise', language: 'en', sentiment: 'positive', count: 1 },
    ]);
  });

  it('derives rates and shares from the counts', () => {
    // 4 member comments: 1 toxic; sentiment 2 positive, 1 negative, 1 neutral; 4 items, 3 answered, 2 in time.
    const counters = {
      memberComments: 4,
      toxic: 1,
      'sentiment:positive': 2,
      'sentiment:negative': 1,
      'sentiment:neutral': 1,
      needsReply: 4,
      answered: 3,
      answeredWithinSla: 2,
    };
    const kpis = toKpis('d', counters);
    expect(kpis.toxicRate).toBe(0.25);
    expect(kpis.spamRate).toBe(0);
    expect(kpis.sentimentShare).toEqual({ positive: 0.5, negative: 0.25, neutral: 0.25 });
    expect(kpis.responseRate).toEqual({ withinSla: 0.5, overall: 0.75 });
  });

  it('reports no rate where there is nothing to divide by', () => {
    expect(toKpis('d', {})).toMatchObject({
      toxicRate: null,
      responseRate: { withinSla: null, overall: null },
    });
  });

  it('gives a week the first-response time of its days together', () => {
    // Monday: 60 s and 600 s; Tuesday: 3600 s. Mean = 1420 s exactly; median is the 600 s bucket.
    const monday = addCounters(addCounters({}, frtCounters(60)), frtCounters(600));
    const tuesday = frtCounters(3600);
    const week = toKpis('w', sumCounters([monday, tuesday])).firstResponse;
    expect(week.count).toBe(3);
    expect(week.meanSeconds).toBe(1420);
    expect(week.p50Seconds).toBeGreaterThan(600 * 0.95);
    expect(week.p50Seconds).toBeLessThan(600 * 1.05);
    expect(week.p90Seconds).toBeGreaterThan(3600 * 0.95);
  });
});
