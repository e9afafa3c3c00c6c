import { describe, expect, it } from 'vitest';
import { chooseThreshold, rowWeights } from '../../../eval/cv.ts';
import type { Row } from '../../../eval/data.ts';
import { foldOf, mayFit } from '../../../eval/data.ts';
import {
  asShipped,
  DEFAULT_FIT,
  dot,
  fitLogistic,
  fitPlatt,
  fitSoftmax,
  fitTemperature,
  quantise,
  sigmoid,
} from '../../../eval/fit.ts';
import {
  binaryScore,
  expectedCalibrationError,
  macroF1,
  meanSd,
  topLabelCalibrationError,
} from '../../../eval/metrics.ts';
import type { FeatureVector } from '../../../shared/classify/features.ts';

/** Rows with one feature on: feature 0 or 1 for the positive class, 2 or 3 for the negative one. */
function synthetic(n: number): { xs: FeatureVector[]; ys: number[] } {
  const xs: FeatureVector[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 2;
    const f = y === 1 ? (i % 4 === 1 ? 0 : 1) : i % 4 === 0 ? 2 : 3;
    xs.push({ idx: Int32Array.of(f, 4), val: Float32Array.of(1, 0.5), n: 2 });
    ys.push(y);
  }
  return { xs, ys };
}

describe('fitLogistic', () => {
  it('separates two classes that features tell apart', () => {
    const { xs, ys } = synthetic(200);
    const w = fitLogistic(xs, ys, new Float64Array(200).fill(1), 5, DEFAULT_FIT);

    const correct = xs.filter((x, i) => (sigmoid(dot(w, x)) >= 0.5 ? 1 : 0) === ys[i]).length;
    expect(correct).toBe(200);
  });

  it('gives the same weights to the bit for the same rows', () => {
    const { xs, ys } = synthetic(100);
    const a = fitLogistic(xs, ys, new Float64Array(100).fill(1), 5, DEFAULT_FIT);
    const b = fitLogistic(xs, ys, new Float64Array(100).fill(1), 5, DEFAULT_FIT);

    expect(Array.from(b.w)).toEqual(Array.from(a.w));
    expect(b.bias).toBe(a.bias);
  });
});

describe('fitSoftmax', () => {
  it('learns three classes from three features', () => {
    const xs = Array.from({ length: 90 }, (_, i) => ({
      idx: Int32Array.of(i % 3),
      val: Float32Array.of(1),
      n: 1,
    }));
    const ys = xs.map((_, i) => i % 3);
    const ws = fitSoftmax(xs, ys, new Float64Array(90).fill(1), 3, 3, DEFAULT_FIT);

    for (let c = 0; c < 3; c++) {
      const z = ws.map((w) => dot(w, xs[c] as FeatureVector));
      expect(z.indexOf(Math.max(...z))).toBe(c);
    }
  });
});

describe('calibration', () => {
  it('Platt scaling recovers a known slope and offset', () => {
    const z: number[] = [];
    const y: number[] = [];
    // Labels drawn so that P(y=1 | z) = σ(2z - 1) exactly, on a grid.
    for (let i = -30; i <= 30; i++) {
      const zi = i / 10;
      const p = sigmoid(2 * zi - 1);
      for (let k = 0; k < 100; k++) {
        z.push(zi);
        y.push(k < Math.round(p * 100) ? 1 : 0);
      }
    }
    const { a, b } = fitPlatt(z, y);

    expect(a).toBeCloseTo(2, 1);
    expect(b).toBeCloseTo(-1, 1);
  });

  it('a temperature above one softens over-confident logits', () => {
    // The right class wins 70% of the time, but the logits claim near certainty.
    const zs = Array.from({ length: 100 }, () => [8, 0, 0]);
    const ys = Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : 1 + (i % 2)));

    expect(fitTemperature(zs, ys)).toBeGreaterThan(2);
  });
});

describe('quantise', () => {
  it('keeps weights within one step of their value, named features exact', () => {
    const w = Float64Array.from([0.5, -0.25, 0.125, 0, 3.5]);
    const q = quantise(w, 4);
    const shipped = asShipped({ w, bias: 0.1234567891 }, 4);

    for (let i = 0; i < 4; i++)
      expect(Math.abs((shipped.w[i] as number) - (w[i] as number))).toBeLessThanOrEqual(q.scale);
    expect(shipped.w[4]).toBe(3.5);
    expect(shipped.bias).toBe(0.123457);
  });
});

describe('metrics', () => {
  it('computes F1 and macro-F1', () => {
    const s = binaryScore([
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ]);
    expect(s.f1).toBeCloseTo(0.5);
    expect(
      macroF1(
        [
          ['a', 'a'],
          ['b', 'b'],
          ['b', 'a'],
        ],
        ['a', 'b'],
      ),
    ).toBeCloseTo((2 / 3 + 2 / 3) / 2);
  });

  it('gives no calibration error to probabilities that match the rates, and some to ones that do not', () => {
    const probs = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75];
    const gold = [true, false, false, false, true, true, true, false];

    expect(expectedCalibrationError(probs, gold)).toBeCloseTo(0);
    expect(expectedCalibrationError([0.95, 0.95], [false, false])).toBeCloseTo(0.95);
    expect(topLabelCalibrationError([[0.9, 0.1]], [0])).toBeCloseTo(0.1);
  });

  it('gives the mean and the sample standard deviation', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
  });
});

describe('data rules', () => {
  it('fits only on our own examples and sources whose licence allows shipping weights', () => {
    expect(mayFit('own:question.fr')).toBe(true);
    expect(mayFit('davidson_hate_offensive')).toBe(true);
    expect(mayFit('nps_chat_question')).toBe(false);
    expect(mayFit('semeval2019_suggestion')).toBe(false);
    expect(mayFit('some_new_source')).toBe(false);
  });

  it('puts the same text in the same fold, whatever its case and spacing', () => {
    expect(foldOf('Hello  World', 5)).toBe(foldOf('hello world', 5));
  });

  it('balances classes and sources to the same total weight', () => {
    const row = (source: string, label: boolean): Row => ({
      id: '',
      source,
      lang: 'en',
      text: '',
      task: 'toxic',
      label,
    });
    const rows = [row('a', true), row('a', false), row('a', false), row('b', true)];
    const w = rowWeights(rows, (r) => (r.label ? 1 : 0), 2, {
      ...DEFAULT_FIT,
      balanceClasses: true,
      balanceSources: true,
    });

    expect(Array.from(w).reduce((s, x) => s + x, 0)).toBeCloseTo(4);
    expect((w[3] as number) > (w[0] as number)).toBe(true);
  });

  it('chooses the threshold that maximises F1', () => {
    const row = (label: boolean): Row => ({
      id: '',
      source: 's',
      lang: 'en',
      text: '',
      task: 'toxic',
      label,
    });
    const rows = [row(true), row(true), row(false), row(false)];

    const t = chooseThreshold([0.9, 0.7, 0.4, 0.1], rows);
    expect(t).toBeGreaterThan(0.4);
    expect(t).toBeLessThanOrEqual(0.7);
  });
});
