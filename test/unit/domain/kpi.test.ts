import { describe, expect, it } from 'vitest';
import { counterDelta, sumDailyKpis, toDailyKpis } from '../../../shared/domain/kpi.ts';

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
    const a = toDailyKpis('2026-11-20', {
      comments: 3,
      'platform:slack': 2,
      'platform:x': 1,
      'language:fr': 3,
    });
    const b = toDailyKpis('2026-11-21', { comments: 1, 'platform:slack': 1, 'language:en': 1 });
    expect(a.byPlatform).toEqual({ slack: 2, x: 1 });
    expect(sumDailyKpis([a, b], 'week')).toMatchObject({
      comments: 4,
      byPlatform: { slack: 3, x: 1 },
      byLanguage: { fr: 3, en: 1 },
    });
  });
});
