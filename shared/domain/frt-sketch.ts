/**
 * First-response-time distribution as plain additive counters, so it lives in the same flat
 * counter map as the other KPIs: a week's sketch is exactly the sum of its days' counters, and
 * shards, retries' deltas and retractions (sign -1) combine by addition like everything else.
 *
 * Buckets are log-spaced: bucket 0 holds [0, 1) s and bucket k ≥ 1 holds [γ^(k-1), γ^k) s with
 * γ = 1.1. A bucket reports its geometric midpoint γ^(k-1/2), which is within a factor √γ ≈ 1.0488
 * of every value in it, so a reported percentile is within 4.9 % of the exact one for values of
 * 1 s or more (bucket 0 reports 0.5 s, within half a second). A year of seconds needs ~183
 * buckets; a typical day touches a few dozen.
 */
import type { Counters } from './kpi.ts';

export const FRT_PREFIX = 'frt:';
export const FRT_COUNT = 'frtCount';
export const FRT_SUM_SECONDS = 'frtSumSeconds';

const GAMMA = 1.1;
const LOG_GAMMA = Math.log(GAMMA);

/** The bucket an FRT of `seconds` falls in. */
export function frtBucket(seconds: number): number {
  if (seconds < 1) return 0;
  let k = Math.floor(Math.log(seconds) / LOG_GAMMA) + 1;
  // Float rounding can put a value sitting on a boundary one bucket off; the boundaries are the
  // powers computed here, so settle against them.
  if (GAMMA ** (k - 1) > seconds) k -= 1;
  else if (GAMMA ** k <= seconds) k += 1;
  return k;
}

/** The value a bucket reports: its geometric midpoint (0.5 s for bucket 0). */
export function frtBucketValue(k: number): number {
  return k === 0 ? 0.5 : GAMMA ** (k - 0.5);
}

/**
 * One observation. Negative FRTs (a reply stamped before the question by skewed platform clocks)
 * count as 0 s, in both the bucket and the sum, so mean and percentiles stay consistent.
 */
export function frtCounters(seconds: number): Counters {
  if (!Number.isFinite(seconds)) throw new RangeError(`frtCounters: seconds must be finite (got ${seconds})`);
  const value = Math.max(0, seconds);
  return { [`${FRT_PREFIX}${frtBucket(value)}`]: 1, [FRT_COUNT]: 1, [FRT_SUM_SECONDS]: value };
}

export interface FrtSummary {
  count: number;
  meanSeconds: number | null;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

/**
 * Reads the FRT counters out of any counter map (other counters are ignored). Mean is exact:
 * sum / count. Percentiles use the nearest-rank method on the bucketed values: the p-th
 * percentile of n observations is the reported value of the bucket holding the ⌈p·n⌉-th smallest
 * observation.
 */
export function frtSummary(counters: Counters): FrtSummary {
  const count = counters[FRT_COUNT] ?? 0;
  if (count <= 0) return { count: 0, meanSeconds: null, p50Seconds: null, p90Seconds: null };
  const buckets: [number, number][] = [];
  for (const [name, value] of Object.entries(counters)) {
    if (!name.startsWith(FRT_PREFIX) || value <= 0) continue;
    const k = Number(name.slice(FRT_PREFIX.length));
    if (Number.isInteger(k) && k >= 0) buckets.push([k, value]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  return {
    count,
    meanSeconds: (counters[FRT_SUM_SECONDS] ?? 0) / count,
    p50Seconds: nearestRank(buckets, total, 50),
    p90Seconds: nearestRank(buckets, total, 90),
  };
}

function nearestRank(buckets: readonly [number, number][], total: number, percent: number): number | null {
  if (total <= 0) return null;
  // Integer arithmetic keeps ⌈p·n⌉ exact whatever n is; a fractional p would rely on rounding luck.
  const rank = Math.max(1, Math.ceil((percent * total) / 100));
  let seen = 0;
  for (const [k, n] of buckets) {
    seen += n;
    if (seen >= rank) return frtBucketValue(k);
  }
  return null;
}
