import { describe, expect, it } from 'vitest';
import {
  FRT_PREFIX,
  frtBucket,
  frtBucketValue,
  frtCounters,
  frtSummary,
} from '../../../shared/domain/frt-sketch.ts';
import { addCounters, type Counters } from '../../../shared/domain/kpi.ts';

function sketch(seconds: readonly number[]): Counters {
  const counters: Counters = {};
  for (const s of seconds) addCounters(counters, frtCounters(s));
  return counters;
}

/** Nearest rank on the raw values: the ⌈p·n⌉-th smallest. */
function exactPercentile(seconds: readonly number[], p: number): number {
  const sorted = [...seconds].sort((a, b) => a - b);
  return sorted[Math.ceil(p * sorted.length) - 1] as number;
}

describe('frtCounters', () => {
  it('turns one observation into a bucket, a count and a sum', () => {
    // ln 90 / ln 1.1 = 47.2, so 90 s lies in [1.1^47, 1.1^48) = [88.2, 97.0): bucket 48.
    expect(frtCounters(90)).toEqual({ 'frt:48': 1, frtCount: 1, frtSumSeconds: 90 });
  });

  it('puts sub-second times in bucket 0 and starts bucket 1 at one second', () => {
    expect(frtBucket(0)).toBe(0);
    expect(frtBucket(0.999)).toBe(0);
    expect(frtBucket(1)).toBe(1);
    expect(frtBucket(1.0999)).toBe(1);
    expect(frtBucket(1.1)).toBe(2);
    // Boundaries are the float powers of 1.1 (1.1 ** 2 is 1.2100000000000002, not 1.21).
    expect(frtBucket(1.1 ** 2)).toBe(3);
    expect(frtBucket(1.1 ** 2 - 1e-12)).toBe(2);
    expect(frtBucket(1.1 ** 100)).toBe(101);
    expect(frtBucket(1.1 ** 100 * (1 - 1e-12))).toBe(100);
  });

  it('keeps every bucket value within 5 % of the values it holds', () => {
    for (let s = 1; s < 4e7; s *= 1.013) {
      const ratio = frtBucketValue(frtBucket(s)) / s;
      expect(ratio).toBeGreaterThanOrEqual(1 / 1.05);
      expect(ratio).toBeLessThanOrEqual(1.05);
    }
  });

  it('counts a negative time (skewed clocks) as zero seconds', () => {
    expect(frtCounters(-3)).toEqual({ 'frt:0': 1, frtCount: 1, frtSumSeconds: 0 });
  });

  it('rejects a time that is not a finite number', () => {
    expect(() => frtCounters(Number.NaN)).toThrow(RangeError);
  });
});

describe('frtSummary', () => {
  it('reports nulls for no observations', () => {
    expect(frtSummary({})).toEqual({ count: 0, meanSeconds: null, p50Seconds: null, p90Seconds: null });
    expect(frtSummary({ comments: 12, 'platform:slack': 3 })).toEqual({
      count: 0,
      meanSeconds: null,
      p50Seconds: null,
      p90Seconds: null,
    });
  });

  it('computes the mean exactly from the sum', () => {
    // (30 + 60 + 90 + 600) / 4 = 195.
    expect(frtSummary(sketch([30, 60, 90, 600])).meanSeconds).toBe(195);
  });

  it('reports the bucket midpoint of the nearest-rank observation', () => {
    // n = 4: p50 is the 2nd value (60 s, bucket 43), p90 the 4th (600 s, bucket 68).
    const summary = frtSummary(sketch([600, 30, 90, 60]));
    expect(summary.count).toBe(4);
    expect(summary.p50Seconds).toBeCloseTo(1.1 ** 42.5, 9);
    expect(summary.p90Seconds).toBeCloseTo(1.1 ** 67.5, 9);
  });

  it('gives p50 and p90 within 5 % of the exact values for one to a hundred minutes', () => {
    // 60, 120, …, 6000 s: the 50th value is 3000 s and the 90th is 5400 s.
    const values = Array.from({ length: 100 }, (_, i) => 60 * (i + 1));
    const summary = frtSummary(sketch(values));
    expect(summary.meanSeconds).toBe(3030);
    expect(Math.abs((summary.p50Seconds as number) / 3000 - 1)).toBeLessThanOrEqual(0.05);
    expect(Math.abs((summary.p90Seconds as number) / 5400 - 1)).toBeLessThanOrEqual(0.05);
  });

  it('stays within 5 % on a skewed day of quick and very slow answers', () => {
    const values = [
      ...Array.from({ length: 70 }, (_, i) => 45 + i * 7),
      ...Array.from({ length: 25 }, (_, i) => 3600 * (2 + i)),
      ...Array.from({ length: 5 }, (_, i) => 86_400 * (3 + i)),
    ];
    const summary = frtSummary(sketch(values));
    const p50 = exactPercentile(values, 0.5);
    const p90 = exactPercentile(values, 0.9);
    expect(p50).toBe(45 + 49 * 7);
    expect(p90).toBe(3600 * 21);
    expect(Math.abs((summary.p50Seconds as number) / p50 - 1)).toBeLessThanOrEqual(0.05);
    expect(Math.abs((summary.p90Seconds as number) / p90 - 1)).toBeLessThanOrEqual(0.05);
    expect(summary.meanSeconds).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
  });

  it('uses the nearest rank, not interpolation, when n is small', () => {
    // n = 10: p90 is the 9th value (ceil(9)), not between the 9th and 10th.
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 1000, 5000];
    const summary = frtSummary(sketch(values));
    expect(summary.p90Seconds).toBe(frtBucketValue(frtBucket(1000)));
    expect(summary.p50Seconds).toBe(frtBucketValue(frtBucket(50)));
  });

  it('merges two days by adding their counters, equal to the sketch of the union', () => {
    const monday = [12, 340, 95, 7200, 61];
    const tuesday = [30, 30, 1800, 0.4, 86_400, 410];
    const week = addCounters(addCounters({}, sketch(monday)), sketch(tuesday));
    expect(week).toEqual(sketch([...monday, ...tuesday]));
    expect(frtSummary(week)).toEqual(frtSummary(sketch([...tuesday, ...monday])));
    expect(frtSummary(week).count).toBe(11);
  });

  it('ignores other counters that share the map', () => {
    const counters = { ...sketch([100, 200]), comments: 40, 'intent:question': 9, 'frt:oops': 5 };
    expect(frtSummary(counters)).toEqual(frtSummary(sketch([100, 200])));
  });

  it('forgets an observation retracted by subtracting its counters', () => {
    const counters = addCounters(sketch([100, 200, 9000]), frtCounters(9000), -1);
    expect(frtSummary(counters)).toEqual(frtSummary(sketch([100, 200])));
  });

  it('names bucket counters with the frt: prefix', () => {
    expect(Object.keys(frtCounters(5)).filter((k) => k.startsWith(FRT_PREFIX))).toEqual(['frt:17']);
  });
});
