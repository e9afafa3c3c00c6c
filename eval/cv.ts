/**
 * k-fold cross-validation over the fitting rows of one task: every row is scored by a model fitted on
 * the other folds, calibrated and thresholded on the other folds too, so each figure is one a row
 * earns without being seen. `npm run train` chooses its settings by these figures; `npm run eval`
 * prints them per source as mean ± sd over the folds.
 */
import { copyVector, extract, type FeatureConfig, type FeatureVector } from '../shared/classify/features.ts';
import { detectLanguage } from '../shared/classify/language.ts';
import { analyse } from '../shared/classify/tokenize.ts';
import { type BinaryTask, foldOf, type Row, SENTIMENT_CLASSES } from './data.ts';
import {
  asShipped,
  dot,
  type FitOptions,
  fitLogistic,
  fitPlatt,
  fitSoftmax,
  fitTemperature,
  type LinearWeights,
  sigmoid,
  softmax,
} from './fit.ts';
import { binaryScore, macroF1, meanSd } from './metrics.ts';

export const FOLDS = 5;

export interface TaskParams extends FitOptions {
  /** Weigh each source as much as the others, whatever its size. */
  balanceSources: boolean;
  /** Weigh each class as much as the others, whatever its share. */
  balanceClasses: boolean;
}

/** The vector of a text as the engine builds it (no language hint: the detector decides). */
export function vectorOf(text: string, config: FeatureConfig): FeatureVector {
  const a = analyse(text);
  const language = detectLanguage(text, undefined, a).language;
  return copyVector(extract(a, language, config));
}

/** Vectors of many rows, one per distinct text. */
export function vectorise(
  rows: readonly Row[],
  config: FeatureConfig,
  cache = new Map<string, FeatureVector>(),
): FeatureVector[] {
  return rows.map((r) => {
    let v = cache.get(r.text);
    if (!v) {
      v = vectorOf(r.text, config);
      cache.set(r.text, v);
    }
    return v;
  });
}

export function rowWeights(
  rows: readonly Row[],
  classOf: (r: Row) => number,
  classes: number,
  p: TaskParams,
): Float64Array {
  const w = new Float64Array(rows.length).fill(1);
  if (p.balanceClasses) {
    const counts = new Float64Array(classes);
    for (const r of rows) counts[classOf(r)] = (counts[classOf(r)] as number) + 1;
    rows.forEach((r, i) => {
      const c = counts[classOf(r)] as number;
      w[i] = (w[i] as number) * (rows.length / (classes * c));
    });
  }
  if (p.balanceSources) {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.source, (counts.get(r.source) ?? 0) + 1);
    rows.forEach((r, i) => {
      w[i] = (w[i] as number) * (rows.length / (counts.size * (counts.get(r.source) as number)));
    });
  }
  let sum = 0;
  for (const x of w) sum += x;
  const norm = rows.length / sum;
  for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) * norm;
  return w;
}

export function sentimentIndex(r: Row): number {
  return SENTIMENT_CLASSES.indexOf(r.label as (typeof SENTIMENT_CLASSES)[number]);
}

export function fitBinaryTask(
  xs: readonly FeatureVector[],
  rows: readonly Row[],
  dim: number,
  hashed: number,
  p: TaskParams,
): LinearWeights {
  const ys = Float64Array.from(rows, (r) => (r.label === true ? 1 : 0));
  const w = rowWeights(rows, (r) => (r.label === true ? 1 : 0), 2, p);
  return asShipped(fitLogistic(xs, ys, w, dim, p), hashed);
}

export function fitSentimentTask(
  xs: readonly FeatureVector[],
  rows: readonly Row[],
  dim: number,
  hashed: number,
  p: TaskParams,
): LinearWeights[] {
  const ys = Int32Array.from(rows, sentimentIndex);
  const w = rowWeights(rows, sentimentIndex, SENTIMENT_CLASSES.length, p);
  return fitSoftmax(xs, ys, w, dim, SENTIMENT_CLASSES.length, p).map((lw) => asShipped(lw, hashed));
}

/**
 * Sources whose rows all have one label (a brand file of negatives only): F1 means nothing there, so they take no
 * part in choosing a threshold or settings; eval reports their share of wrong flags instead.
 */
export function twoClassSources(rows: readonly Row[]): string[] {
  const labels = new Map<string, Set<string>>();
  for (const r of rows) {
    const key = choosingSource(r);
    const set = labels.get(key) ?? new Set<string>();
    set.add(String(r.label));
    labels.set(key, set);
  }
  return [...labels.entries()].filter(([, l]) => l.size > 1).map(([s]) => s);
}

/** The source a row counts in when thresholds and settings are chosen (a stand-in joins its pool). */
export function choosingSource(r: Row): string {
  return r.poolWith ?? r.source;
}

/** The probability from which a row is labelled, chosen to maximise the mean F1 over the sources. */
export function chooseThreshold(probs: ArrayLike<number>, rows: readonly Row[]): number {
  let best = 0.5;
  let bestScore = -1;
  const sources = twoClassSources(rows);
  for (let t = 0.05; t <= 0.951; t += 0.01) {
    const th = Math.round(t * 100) / 100;
    let sum = 0;
    for (const s of sources) {
      const pairs: Array<[boolean, boolean]> = [];
      rows.forEach((r, i) => {
        if (choosingSource(r) === s) pairs.push([r.label === true, (probs[i] as number) >= th]);
      });
      sum += binaryScore(pairs).f1;
    }
    const score = sum / sources.length;
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = th;
    }
  }
  return best;
}

export interface SourceFigure {
  source: string;
  rows: number;
  /** Per fold, the source's measure (F1, or macro-F1 for sentiment). */
  folds: number[];
  mean: number;
  sd: number;
  /** The measure over all the source's rows at once (out of fold). */
  pooled: number;
  detail: string;
}

export interface BinaryCv {
  task: BinaryTask;
  /** Out-of-fold logits of the uncalibrated model, in row order. */
  logits: Float64Array;
  /** Out-of-fold calibrated probabilities, in row order. */
  probs: Float64Array;
  /** Out-of-fold decisions (threshold chosen without the row's fold). */
  decisions: Uint8Array;
  perSource: SourceFigure[];
  /** Mean over the sources of their pooled measure: what model selection maximises. */
  score: number;
}

function figure(
  source: string,
  rows: readonly Row[],
  folds: readonly number[],
  measure: (idx: number[]) => { value: number; detail: string },
): SourceFigure {
  const idx = rows.map((_, i) => i).filter((i) => (rows[i] as Row).source === source);
  const perFold: number[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const inFold = idx.filter((i) => folds[i] === k);
    if (inFold.length > 0) perFold.push(measure(inFold).value);
  }
  const { mean, sd } = meanSd(perFold);
  const pooled = measure(idx);
  return { source, rows: idx.length, folds: perFold, mean, sd, pooled: pooled.value, detail: pooled.detail };
}

/** Cross-validates a binary task over `rows` (their vectors in `xs`). */
export function crossValidateBinary(
  task: BinaryTask,
  rows: readonly Row[],
  xs: readonly FeatureVector[],
  dim: number,
  hashed: number,
  p: TaskParams,
): BinaryCv {
  const folds = rows.map((r) => foldOf(r.text, FOLDS));
  const logits = new Float64Array(rows.length);
  for (let k = 0; k < FOLDS; k++) {
    const train = rows.map((_, i) => i).filter((i) => folds[i] !== k);
    const model = fitBinaryTask(
      train.map((i) => xs[i] as FeatureVector),
      train.map((i) => rows[i] as Row),
      dim,
      hashed,
      p,
    );
    rows.forEach((_, i) => {
      if (folds[i] === k) logits[i] = dot(model, xs[i] as FeatureVector);
    });
  }
  // Calibration and threshold for fold k come from the other folds' out-of-fold logits.
  const probs = new Float64Array(rows.length);
  const decisions = new Uint8Array(rows.length);
  const ys = rows.map((r) => (r.label === true ? 1 : 0));
  for (let k = 0; k < FOLDS; k++) {
    const other = rows.map((_, i) => i).filter((i) => folds[i] !== k);
    const platt = fitPlatt(
      other.map((i) => logits[i] as number),
      other.map((i) => ys[i] as number),
    );
    const otherProbs = other.map((i) => sigmoid(platt.a * (logits[i] as number) + platt.b));
    const threshold = chooseThreshold(
      otherProbs,
      other.map((i) => rows[i] as Row),
    );
    rows.forEach((_, i) => {
      if (folds[i] !== k) return;
      probs[i] = sigmoid(platt.a * (logits[i] as number) + platt.b);
      decisions[i] = (probs[i] as number) >= threshold ? 1 : 0;
    });
  }
  const sources = [...new Set(rows.map((r) => r.source))].sort();
  const scored = new Set(twoClassSources(rows));
  const perSource = sources.map((s) =>
    figure(s, rows, folds, (idx) => {
      if (rows.some((r) => r.source === s && r.poolWith) || !scored.has(s)) {
        // One label only: the share of rows given that label.
        const right = idx.filter((i) => ((rows[i] as Row).label === true) === (decisions[i] === 1)).length;
        return { value: right / idx.length, detail: 'one label only: share labelled right' };
      }
      const sc = binaryScore(idx.map((i) => [(rows[i] as Row).label === true, decisions[i] === 1] as const));
      return { value: sc.f1, detail: `P ${sc.precision.toFixed(3)} R ${sc.recall.toFixed(3)}` };
    }),
  );
  // What settings are chosen by: the mean F1 over the choosing sources (stand-ins in their pools).
  const pools = [...scored].sort();
  const score =
    pools.reduce((sum, s) => {
      const idx = rows.map((_, i) => i).filter((i) => choosingSource(rows[i] as Row) === s);
      return (
        sum + binaryScore(idx.map((i) => [(rows[i] as Row).label === true, decisions[i] === 1] as const)).f1
      );
    }, 0) / pools.length;
  return { task, logits, probs, decisions, perSource, score };
}

export interface SentimentCv {
  logits: number[][];
  probs: number[][];
  perSource: SourceFigure[];
  score: number;
}

export function crossValidateSentiment(
  rows: readonly Row[],
  xs: readonly FeatureVector[],
  dim: number,
  hashed: number,
  p: TaskParams,
): SentimentCv {
  const folds = rows.map((r) => foldOf(r.text, FOLDS));
  const logits: number[][] = rows.map(() => [0, 0, 0]);
  for (let k = 0; k < FOLDS; k++) {
    const train = rows.map((_, i) => i).filter((i) => folds[i] !== k);
    const models = fitSentimentTask(
      train.map((i) => xs[i] as FeatureVector),
      train.map((i) => rows[i] as Row),
      dim,
      hashed,
      p,
    );
    rows.forEach((_, i) => {
      if (folds[i] === k) logits[i] = models.map((m) => dot(m, xs[i] as FeatureVector));
    });
  }
  const ys = rows.map(sentimentIndex);
  const probs: number[][] = rows.map(() => []);
  for (let k = 0; k < FOLDS; k++) {
    const other = rows.map((_, i) => i).filter((i) => folds[i] !== k);
    const t = fitTemperature(
      other.map((i) => logits[i] as number[]),
      other.map((i) => ys[i] as number),
    );
    rows.forEach((_, i) => {
      if (folds[i] === k) probs[i] = softmax(logits[i] as number[], t);
    });
  }
  const label = (pr: number[]) => SENTIMENT_CLASSES[pr.indexOf(Math.max(...pr))] as string;
  const sources = [...new Set(rows.map((r) => r.source))].sort();
  const perSource = sources.map((s) =>
    figure(s, rows, folds, (idx) => {
      const pairs = idx.map((i) => [String((rows[i] as Row).label), label(probs[i] as number[])] as const);
      const acc = pairs.filter(([g, q]) => g === q).length / pairs.length;
      return { value: macroF1(pairs, SENTIMENT_CLASSES), detail: `accuracy ${acc.toFixed(3)}` };
    }),
  );
  const score = perSource.reduce((s, f) => s + f.pooled, 0) / perSource.length;
  return { logits, probs, perSource, score };
}
