/** The measures `npm run eval` and `npm run train` report and choose by. */

export interface BinaryScore {
  f1: number;
  precision: number;
  recall: number;
  n: number;
}

export function binaryScore(pairs: ReadonlyArray<readonly [boolean, boolean]>): BinaryScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [gold, pred] of pairs) {
    if (gold && pred) tp++;
    else if (!gold && pred) fp++;
    else if (gold && !pred) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { f1, precision, recall, n: pairs.length };
}

/** Macro-F1 over the gold classes; a predicted class outside them (`mixed`) counts as a miss. */
export function macroF1(pairs: ReadonlyArray<readonly [string, string]>, classes: readonly string[]): number {
  let sum = 0;
  for (const c of classes) sum += binaryScore(pairs.map(([g, p]) => [g === c, p === c] as const)).f1;
  return sum / classes.length;
}

/** Equal-width bins of the expected calibration error. */
export const ECE_BINS = 10;

/**
 * Expected calibration error of binary probabilities: the gap between the mean predicted probability
 * and the observed rate in each of ECE_BINS bins, weighted by the bin's share of rows.
 */
export function expectedCalibrationError(probs: ArrayLike<number>, gold: ArrayLike<boolean>): number {
  const sumP = new Float64Array(ECE_BINS);
  const sumY = new Float64Array(ECE_BINS);
  const count = new Float64Array(ECE_BINS);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    const b = Math.min(ECE_BINS - 1, Math.floor(p * ECE_BINS));
    sumP[b] = (sumP[b] as number) + p;
    sumY[b] = (sumY[b] as number) + (gold[i] ? 1 : 0);
    count[b] = (count[b] as number) + 1;
  }
  let ece = 0;
  for (let b = 0; b < ECE_BINS; b++) {
    const c = count[b] as number;
    if (c > 0) ece += (c / probs.length) * Math.abs((sumP[b] as number) / c - (sumY[b] as number) / c);
  }
  return ece;
}

/** Top-label calibration error of a multi-class model: confidence of the chosen class against accuracy. */
export function topLabelCalibrationError(
  probs: ReadonlyArray<ArrayLike<number>>,
  gold: ArrayLike<number>,
): number {
  const conf: number[] = [];
  const right: boolean[] = [];
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as ArrayLike<number>;
    let best = 0;
    for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    conf.push(p[best] as number);
    right.push(best === gold[i]);
  }
  return expectedCalibrationError(conf, right);
}

export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  if (values.length === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance =
    values.length > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, sd: Math.sqrt(variance) };
}
