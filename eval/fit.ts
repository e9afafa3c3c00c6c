/**
 * The fitting side of the local engine's models: logistic regression (one class against the rest) and
 * softmax regression (sentiment), both by AdaGrad over sparse vectors, then Platt scaling or a
 * temperature for calibrated probabilities, and 8-bit quantisation of the hashed weights. Everything
 * is deterministic: rows are visited in an order drawn from a fixed seed, and the same rows give the
 * same weights to the bit.
 */
import type { FeatureVector } from '../shared/classify/features.ts';

export interface FitOptions {
  epochs: number;
  /** L2 strength, applied to a weight each time its feature is seen. */
  l2: number;
  learningRate: number;
  /** Seed of the visiting order. */
  seed: number;
}

export const DEFAULT_FIT: FitOptions = { epochs: 10, l2: 1e-5, learningRate: 0.2, seed: 17 };

/** AdaGrad's denominator starts here, so the first steps are not divided by zero. */
const ADAGRAD_EPSILON = 1e-6;

export interface LinearWeights {
  /** One weight per feature index (hashed buckets first, then the named features). */
  w: Float64Array;
  bias: number;
}

/** A Park–Miller generator: the same seed always gives the same order, on every machine. */
function shuffledOrder(n: number, seed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let s = (seed * 7919 + epoch * 104_729 + 1) % 2_147_483_647;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 48_271) % 2_147_483_647;
    const j = s % (i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/**
 * Binary logistic regression. `weight[i]` scales row i's loss (class and source balance). Returns the
 * weights of the positive class.
 */
export function fitLogistic(
  xs: readonly FeatureVector[],
  ys: ArrayLike<number>,
  weight: ArrayLike<number>,
  dim: number,
  opts: FitOptions,
): LinearWeights {
  const w = new Float64Array(dim);
  const g2 = new Float64Array(dim);
  let bias = 0;
  let biasG2 = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const i of shuffledOrder(xs.length, opts.seed, epoch)) {
      const x = xs[i] as FeatureVector;
      let z = bias;
      for (let k = 0; k < x.n; k++) z += (w[x.idx[k] as number] as number) * (x.val[k] as number);
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - (ys[i] as number)) * (weight[i] as number);
      biasG2 += g * g;
      bias -= (opts.learningRate * g) / Math.sqrt(biasG2 + ADAGRAD_EPSILON);
      for (let k = 0; k < x.n; k++) {
        const j = x.idx[k] as number;
        const wj = w[j] as number;
        const gj = g * (x.val[k] as number) + opts.l2 * wj;
        const acc = (g2[j] as number) + gj * gj;
        g2[j] = acc;
        w[j] = wj - (opts.learningRate * gj) / Math.sqrt(acc + ADAGRAD_EPSILON);
      }
    }
  }
  return { w, bias };
}

/** Softmax regression over `classes` classes; `ys[i]` is the class index of row i. */
export function fitSoftmax(
  xs: readonly FeatureVector[],
  ys: ArrayLike<number>,
  weight: ArrayLike<number>,
  dim: number,
  classes: number,
  opts: FitOptions,
): LinearWeights[] {
  const ws = Array.from({ length: classes }, () => new Float64Array(dim));
  const g2s = Array.from({ length: classes }, () => new Float64Array(dim));
  const bias = new Float64Array(classes);
  const biasG2 = new Float64Array(classes);
  const z = new Float64Array(classes);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const i of shuffledOrder(xs.length, opts.seed, epoch)) {
      const x = xs[i] as FeatureVector;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < classes; c++) {
        const w = ws[c] as Float64Array;
        let s = bias[c] as number;
        for (let k = 0; k < x.n; k++) s += (w[x.idx[k] as number] as number) * (x.val[k] as number);
        z[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        z[c] = Math.exp((z[c] as number) - max);
        sum += z[c] as number;
      }
      for (let c = 0; c < classes; c++) {
        const g = ((z[c] as number) / sum - (ys[i] === c ? 1 : 0)) * (weight[i] as number);
        biasG2[c] = (biasG2[c] as number) + g * g;
        bias[c] =
          (bias[c] as number) - (opts.learningRate * g) / Math.sqrt((biasG2[c] as number) + ADAGRAD_EPSILON);
        const w = ws[c] as Float64Array;
        const g2 = g2s[c] as Float64Array;
        for (let k = 0; k < x.n; k++) {
          const j = x.idx[k] as number;
          const wj = w[j] as number;
          const gj = g * (x.val[k] as number) + opts.l2 * wj;
          const acc = (g2[j] as number) + gj * gj;
          g2[j] = acc;
          w[j] = wj - (opts.learningRate * gj) / Math.sqrt(acc + ADAGRAD_EPSILON);
        }
      }
    }
  }
  return ws.map((w, c) => ({ w, bias: bias[c] as number }));
}

export function dot(lw: LinearWeights, x: FeatureVector): number {
  let z = lw.bias;
  for (let k = 0; k < x.n; k++) z += (lw.w[x.idx[k] as number] as number) * (x.val[k] as number);
  return z;
}

/** The 8-bit range of a quantised weight. */
export const QUANT_MAX = 127;
/**
 * The hashed weights are scaled so that this quantile of their magnitudes maps to QUANT_MAX; the few
 * larger ones are clipped. Scaling on the maximum instead would round most weights to zero.
 */
export const QUANT_QUANTILE = 0.9995;

export interface Quantised {
  q: Int8Array;
  scale: number;
}

/** 8-bit weights for the first `hashed` entries (the buckets); the named features stay exact. */
export function quantise(w: Float64Array, hashed: number): Quantised {
  const mags: number[] = [];
  for (let i = 0; i < hashed; i++) {
    const m = Math.abs(w[i] as number);
    if (m > 0) mags.push(m);
  }
  mags.sort((a, b) => a - b);
  const top = mags.length
    ? (mags[Math.min(mags.length - 1, Math.floor(mags.length * QUANT_QUANTILE))] as number)
    : 1;
  const scale = top > 0 ? top / QUANT_MAX : 1;
  const q = new Int8Array(hashed);
  for (let i = 0; i < hashed; i++) {
    const v = Math.round((w[i] as number) / scale);
    q[i] = Math.max(-QUANT_MAX, Math.min(QUANT_MAX, v));
  }
  return { q, scale };
}

/** Named-feature weights and biases are shipped with this many significant digits. */
export const SHIPPED_DIGITS = 6;

export function shipped(n: number): number {
  return Number(n.toPrecision(SHIPPED_DIGITS));
}

/** The weights the engine will use once quantised: what cross-validation must score, not the exact ones. */
export function asShipped(lw: LinearWeights, hashed: number): LinearWeights {
  const { q, scale } = quantise(lw.w, hashed);
  const w = new Float64Array(lw.w.length);
  const s = shipped(scale);
  for (let i = 0; i < hashed; i++) w[i] = (q[i] as number) * s;
  for (let i = hashed; i < lw.w.length; i++) w[i] = shipped(lw.w[i] as number);
  return { w, bias: shipped(lw.bias) };
}

/** Platt scaling: p = σ(a·z + b), fitted by Newton's method on (logit, label) pairs. */
export function fitPlatt(z: ArrayLike<number>, y: ArrayLike<number>): { a: number; b: number } {
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < z.length; i++) {
      const zi = z[i] as number;
      const p = 1 / (1 + Math.exp(-(a * zi + b)));
      const d = p - (y[i] as number);
      const h = Math.max(p * (1 - p), 1e-12);
      ga += d * zi;
      gb += d;
      haa += h * zi * zi;
      hab += h * zi;
      hbb += h;
    }
    // A tiny ridge keeps the 2×2 system solvable when the logits barely vary.
    haa += 1e-9;
    hbb += 1e-9;
    const det = haa * hbb - hab * hab;
    if (det <= 0) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function softmax(z: ArrayLike<number>, temperature = 1): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < z.length; i++) max = Math.max(max, (z[i] as number) / temperature);
  const e = Array.from({ length: z.length }, (_, i) => Math.exp((z[i] as number) / temperature - max));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((v) => v / s);
}

/** The temperature that minimises the log-loss of softmax(z / T), by golden-section search. */
export function fitTemperature(zs: ReadonlyArray<ArrayLike<number>>, ys: ArrayLike<number>): number {
  const loss = (t: number) => {
    let l = 0;
    for (let i = 0; i < zs.length; i++)
      l -= Math.log(Math.max(softmax(zs[i] as ArrayLike<number>, t)[ys[i] as number] as number, 1e-12));
    return l;
  };
  let lo = 0.2;
  let hi = 5;
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = loss(x1);
  let f2 = loss(x2);
  for (let iter = 0; iter < 60; iter++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = loss(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = loss(x2);
    }
  }
  return (lo + hi) / 2;
}
