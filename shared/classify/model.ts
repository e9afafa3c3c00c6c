/**
 * The local engine's models at run time: one linear head per decision over the shared feature vector
 * (features.ts), calibrated into probabilities. The weights come from `npm run train`
 * (eval/train.ts), which writes `model.generated.ts`; this file only reads them.
 *
 * Layout: the hashed weights are 8-bit integers, interleaved by bucket (bucket b holds the weight of
 * every head, one after the other), so scoring a feature reads one small run of bytes; each head has
 * one scale that turns its integers back into weights. Most of them are 0, so the file keeps a bitmap
 * of the non-zero ones and their values only (`encodeWeights`): about half the bytes to parse at cold
 * start. Named-feature weights and biases are plain numbers.
 */
import type { FeatureConfig, FeatureVector } from './features.ts';

export const HEADS = [
  'question',
  'suggestion',
  'complaint',
  'praise',
  'toxic',
  'spam',
  'sentiment-negative',
  'sentiment-neutral',
  'sentiment-positive',
] as const;
export type Head = (typeof HEADS)[number];
export const BINARY_HEADS = ['question', 'suggestion', 'complaint', 'praise', 'toxic', 'spam'] as const;
export type BinaryHead = (typeof BINARY_HEADS)[number];
export const SENTIMENT_HEADS = ['sentiment-negative', 'sentiment-neutral', 'sentiment-positive'] as const;

/** What `model.generated.ts` holds. */
export interface ModelFile {
  features: FeatureConfig;
  heads: readonly Head[];
  /** Per head: the factor that turns its 8-bit weights back into weights. */
  scales: readonly number[];
  biases: readonly number[];
  /** Per head: one weight per named feature, in NAMED_FEATURES order. */
  named: ReadonlyArray<readonly number[]>;
  /** The interleaved 8-bit weights (2^hashBits buckets × heads), as `encodeWeights` writes them. */
  hashed: EncodedWeights;
  /** Platt scaling per binary head: p = σ(a·z + b). */
  platt: Readonly<Record<BinaryHead, { a: number; b: number }>>;
  /** The sentiment softmax is divided by this temperature. */
  temperature: number;
  /** Per binary head: the calibrated probability from which the label is given. */
  thresholds: Readonly<Record<BinaryHead, number>>;
}

export interface Scores {
  question: number;
  suggestion: number;
  complaint: number;
  praise: number;
  toxic: number;
  spam: number;
  sentiment: { negative: number; neutral: number; positive: number };
}

export interface LoadedModel {
  file: ModelFile;
  score(v: FeatureVector): Scores;
}

/** 8-bit weights as a bitmap of the non-zero ones (bit i of byte i/8, low bit first) and their values. */
export interface EncodedWeights {
  length: number;
  /** Base64 of the bitmap. */
  nonZero: string;
  /** Base64 of the non-zero values, in order. */
  values: string;
}

export function encodeWeights(weights: Int8Array): EncodedWeights {
  const bitmap = new Uint8Array(Math.ceil(weights.length / 8));
  const values: number[] = [];
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (w === 0) continue;
    bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
    values.push(w & 0xff);
  }
  return {
    length: weights.length,
    nonZero: Buffer.from(bitmap).toString('base64'),
    values: Buffer.from(Uint8Array.from(values)).toString('base64'),
  };
}

export function decodeWeights(encoded: EncodedWeights): Int8Array {
  const bitmap = Buffer.from(encoded.nonZero, 'base64');
  const bytes = Buffer.from(encoded.values, 'base64');
  const values = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int8Array(encoded.length);
  let v = 0;
  for (let b = 0; b < bitmap.length; b++) {
    let bits = bitmap[b] as number;
    while (bits !== 0) {
      const low = bits & -bits;
      out[(b << 3) + 31 - Math.clz32(low)] = values[v++] as number;
      bits ^= low;
    }
  }
  return out;
}

export function loadModel(file: ModelFile): LoadedModel {
  const heads = file.heads.length;
  const weights = decodeWeights(file.hashed);
  const base = 1 << file.features.hashBits;
  if (weights.length !== base * heads)
    throw new RangeError(`model weights: ${weights.length} bytes, expected ${base * heads}`);
  const scales = Float64Array.from(file.scales);
  const named = file.named.map((row) => Float64Array.from(row));
  /** Logits per head; hashed sums are kept in integer units until the scale is applied. */
  const acc = new Float64Array(heads);
  const namedAcc = new Float64Array(heads);
  const index = Object.fromEntries(HEADS.map((h) => [h, file.heads.indexOf(h)])) as Record<Head, number>;
  for (const h of HEADS) if (index[h] < 0) throw new RangeError(`model has no "${h}" head`);

  const binary = (h: BinaryHead): number => {
    const { a, b } = file.platt[h];
    return 1 / (1 + Math.exp(-(a * (acc[index[h]] as number) + b)));
  };

  return {
    file,
    score(v: FeatureVector): Scores {
      acc.fill(0);
      namedAcc.fill(0);
      for (let k = 0; k < v.n; k++) {
        const j = v.idx[k] as number;
        const x = v.val[k] as number;
        if (j < base) {
          const at = j * heads;
          for (let h = 0; h < heads; h++) acc[h] = (acc[h] as number) + (weights[at + h] as number) * x;
        } else {
          const f = j - base;
          for (let h = 0; h < heads; h++)
            namedAcc[h] = (namedAcc[h] as number) + x * ((named[h] as Float64Array)[f] ?? 0);
        }
      }
      for (let h = 0; h < heads; h++)
        acc[h] =
          (acc[h] as number) * (scales[h] as number) + (namedAcc[h] as number) + (file.biases[h] as number);
      return {
        question: binary('question'),
        suggestion: binary('suggestion'),
        complaint: binary('complaint'),
        praise: binary('praise'),
        toxic: binary('toxic'),
        spam: binary('spam'),
        sentiment: sentimentOf(
          acc[index['sentiment-negative']] as number,
          acc[index['sentiment-neutral']] as number,
          acc[index['sentiment-positive']] as number,
          file.temperature,
        ),
      };
    },
  };
}

function sentimentOf(neg: number, neu: number, pos: number, t: number): Scores['sentiment'] {
  const m = Math.max(neg, neu, pos);
  const en = Math.exp((neg - m) / t);
  const eu = Math.exp((neu - m) / t);
  const ep = Math.exp((pos - m) / t);
  const s = en + eu + ep;
  return { negative: en / s, neutral: eu / s, positive: ep / s };
}
