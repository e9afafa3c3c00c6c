import { describe, expect, it } from 'vitest';
import { activeMembersOn, validateKpiQuery } from '../../../shared/core/read-kpis.ts';
import type { Counters } from '../../../shared/domain/kpi.ts';
import { testConfig } from '../../support/builders.ts';

describe('active members', () => {
  // a: active on the 1st and the 20th; b: on the 15th; c: on the 20th only; d: on 2026-10-25 (DST day).
  const days = new Map<string, Counters>([
    ['2026-10-25', { 'n:d': 1 }],
    ['2026-11-01', { 'n:a': 2 }],
    ['2026-11-15', { 'n:b': 1, 'h:b': 1 }],
    ['2026-11-20', { 'n:a': 1, 'n:c': 3, 'f:c': 1 }],
  ]);

  it('counts distinct members over 1, 7 and 30 days ending on each day', () => {
    const [nov20, nov21, nov23] = activeMembersOn(['2026-11-20', '2026-11-21', '2026-11-23'], days);
    expect(nov20).toEqual({ d1: 2, d7: 3, d30: 4 }); // {a, c}; + b (15th); + d (the 30 days start on 22 Oct)
    expect(nov21).toEqual({ d1: 0, d7: 3, d30: 4 });
    expect(nov23).toEqual({ d1: 0, d7: 2, d30: 4 }); // the 15th has left the 7-day window; the 30 days start on 25 Oct
  });

  it('counts a member once however many comments they wrote', () => {
    expect(activeMembersOn(['2026-11-24'], days)[0]?.d30).toBe(3);
    expect(activeMembersOn(['2026-11-23'], new Map([['2026-10-25', { 'n:d': 1 }]]))[0]).toEqual({
      d1: 0,
      d7: 0,
      d30: 1,
    });
  });
});

describe('KPI query validation', () => {
  const config = testConfig();

  it.each([
    [{ community: 'velo', from: '2026-11-01' }, /"to" is required/],
    [{ community: 'velo', from: '2026-02-30', to: '2026-03-01' }, /"from" must be a date/],
    [{ community: 'velo', from: '9999-12-31', to: '9999-12-31' }, /"from" must be a date/],
    [{ community: 'velo', from: '2026-11-02', to: '2026-11-01' }, /must not be after/],
    [{ community: 'velo', from: '2020-01-01', to: '2026-01-01' }, /at most 366 days/],
    [
      { community: 'velo', from: '2026-11-01', to: '2026-11-02', granularity: 'month' },
      /"granularity" must be/,
    ],
    [{ from: '2026-11-01', to: '2026-11-02' }, /"community" is required/],
  ])('refuses %o with a message naming the problem', (query, message) => {
    expect(() => validateKpiQuery(query, config)).toThrow(message);
  });
});
