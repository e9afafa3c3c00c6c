import { describe, expect, it } from 'vitest';
import { NAMED_COUNT } from '../../../shared/classify/features.ts';
import { MODEL, TRAINING } from '../../../shared/classify/model.generated.ts';
import {
  decodeWeights,
  encodeWeights,
  HEADS,
  loadModel,
  type ModelFile,
} from '../../../shared/classify/model.ts';

/** A two-bucket model: bucket 1 votes for a question (+2 units × 0.5), the named feature 0 for spam. */
function tinyModel(): ModelFile {
  const heads = HEADS.length;
  const hashed = new Int8Array(2 * heads);
  hashed[1 * heads + HEADS.indexOf('question')] = 2;
  const named = HEADS.map((h) =>
    Array.from({ length: NAMED_COUNT }, (_, i) => (h === 'spam' && i === 0 ? 3 : 0)),
  );
  const binary = { a: 1, b: 0 };
  return {
    features: { hashBits: 1, charMin: 0, charMax: 0 },
    heads: HEADS,
    scales: HEADS.map(() => 0.5),
    biases: HEADS.map(() => 0),
    named,
    hashed: encodeWeights(hashed),
    platt: {
      question: binary,
      suggestion: binary,
      complaint: binary,
      praise: binary,
      toxic: binary,
      spam: { a: 1, b: -1 },
    },
    temperature: 1,
    thresholds: { question: 0.5, suggestion: 0.5, complaint: 0.5, praise: 0.5, toxic: 0.5, spam: 0.5 },
  };
}

describe('loadModel', () => {
  it('scores hashed and named features with their scale, bias and calibration', () => {
    const model = loadModel(tinyModel());
    // Bucket 1 with value 1; named feature 0 (index 2 = 2^hashBits + 0) with value 1.
    const s = model.score({ idx: Int32Array.of(1, 2), val: Float32Array.of(1, 1), n: 2 });

    expect(s.question).toBeCloseTo(1 / (1 + Math.exp(-1)));
    expect(s.spam).toBeCloseTo(1 / (1 + Math.exp(-(3 - 1))));
    expect(s.toxic).toBeCloseTo(0.5);
    expect(s.sentiment.negative + s.sentiment.neutral + s.sentiment.positive).toBeCloseTo(1);
  });

  it('refuses weights of the wrong size', () => {
    expect(() => loadModel({ ...tinyModel(), hashed: encodeWeights(Int8Array.of(1, 2, 3)) })).toThrow(
      RangeError,
    );
  });
});

describe('encodeWeights', () => {
  it('gives back the same weights, zeros and negatives included', () => {
    const weights = Int8Array.of(0, -127, 0, 0, 5, 127, 0, 0, 0, -1, 0);

    expect(Array.from(decodeWeights(encodeWeights(weights)))).toEqual(Array.from(weights));
  });
});

describe('the committed model', () => {
  it('has every head, thresholds between 0 and 1, and weights within 2 MB', () => {
    expect([...MODEL.heads]).toEqual([...HEADS]);
    for (const t of Object.values(MODEL.thresholds)) {
      expect(t).toBeGreaterThan(0);
      expect(t).toBeLessThan(1);
    }
    expect(JSON.stringify(MODEL.hashed).length).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('says what it was fitted on, with a checksum per file, and names its features', () => {
    expect(TRAINING.data.length).toBeGreaterThan(0);
    for (const f of TRAINING.data) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(TRAINING.namedFeatures).toHaveLength(NAMED_COUNT);
  });

  it('was fitted on no source whose licence keeps it from shipping', () => {
    const names = TRAINING.data.map((f) => f.name).join(' ');

    expect(names).not.toMatch(/nps_chat|semeval2019|complaints_twitter|xlmt/);
  });
});
