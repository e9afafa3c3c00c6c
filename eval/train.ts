/**
 * `npm run train`: fits the local engine's models and writes `shared/classify/model.generated.ts`.
 *
 * - Data: the project's own examples (eval/corpus) and, from ../shared/datasets (or DATASETS_DIR), the
 *   `*.dev.jsonl` and `train/*.train.jsonl` rows of the sources whose licence lets fitted weights ship
 *   (eval/data.ts SOURCE_LICENCES). Other sources are never read for fitting.
 * - Selection: the character n-gram range, then per task the regularisation, the number of passes and
 *   the source balance, each by 5-fold cross-validation on the fitting rows only (eval/cv.ts); the
 *   decision threshold of each binary task likewise, on calibrated out-of-fold probabilities.
 * - Output: the weights (8-bit, interleaved by bucket), the calibration, the thresholds, the chosen
 *   settings and the SHA-256 of every data file read. The run is deterministic: the same files give
 *   the same output byte for byte (`npm run train -- --check` verifies the committed file).
 *
 * Retraining for a brand: `npm run train -- --extra brand.jsonl --out path/to/model.generated.ts`, where
 * each line is {"text": "...", "task": "question|suggestion|complaint|praise|toxic|spam|sentiment",
 * "label": true|false or "positive|neutral|negative"} (docs/classifier.md).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  extract,
  type FeatureConfig,
  type FeatureVector,
  NAMED_COUNT,
  NAMED_FEATURES,
} from '../shared/classify/features.ts';
import { detectLanguage } from '../shared/classify/language.ts';
import { type BinaryHead, encodeWeights, HEADS, type ModelFile } from '../shared/classify/model.ts';
import { analyse } from '../shared/classify/tokenize.ts';
import {
  type BinaryCv,
  chooseThreshold,
  crossValidateBinary,
  crossValidateSentiment,
  fitBinaryTask,
  fitSentimentTask,
  type SentimentCv,
  sentimentIndex,
  type TaskParams,
  vectorise,
} from './cv.ts';
import {
  BINARY_TASKS,
  type DataFile,
  datasetsDir,
  loadExternal,
  loadOwnExamples,
  notSpamStandIn,
  notToxicStandIn,
  praiseStandIn,
  REPO_ROOT,
  type Row,
  SENTIMENT_CLASSES,
  SOURCE_LICENCES,
  TASKS,
  type Task,
  taskRows,
} from './data.ts';
import { fitPlatt, fitTemperature, type LinearWeights, quantise, shipped, sigmoid } from './fit.ts';

export const MODEL_PATH = join(REPO_ROOT, 'shared', 'classify', 'model.generated.ts');

/**
 * 2^17 buckets: 9 heads × 131,072 one-byte weights = 1.2 MB, under the 2 MB the bundle may spend on
 * weights; 2^18 would not fit, 2^16 doubles the collisions.
 */
export const HASH_BITS = 17;

/** The character n-gram ranges tried (0 = none); the best mean cross-validated score over the tasks wins. */
export const CHAR_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [2, 4],
  [3, 5],
];

const BASE: TaskParams = {
  epochs: 5,
  l2: 1e-3,
  learningRate: 0.2,
  seed: 17,
  balanceSources: false,
  balanceClasses: true,
};

/** The settings tried per task. Strong L2 matters most on the small own-example sets. */
export function paramGrid(multiSource: boolean): TaskParams[] {
  const out: TaskParams[] = [];
  for (const l2 of [1e-3, 1e-2])
    for (const epochs of [5, 10])
      for (const balanceSources of multiSource ? [false, true] : [false])
        out.push({ ...BASE, l2, epochs, balanceSources });
  return out;
}

export interface TrainingData {
  rows: Row[];
  files: DataFile[];
}

/**
 * A brand's labelled comments: one {"text", "task", "label", "lang"?} a line (docs/classifier.md).
 * Each row names its task; a label must fit its task (a boolean, or a sentiment class).
 */
export function parseBrandRows(text: string, name: string): Row[] {
  const source = `brand:${name}`;
  const rows: Row[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${name}:${i + 1}`;
    const r = JSON.parse(line) as { text?: unknown; task?: unknown; label?: unknown; lang?: unknown };
    if (typeof r.text !== 'string' || !r.text.trim())
      throw new TypeError(`${where}: "text" must be a non-empty string`);
    if (!TASKS.includes(r.task as Task)) throw new TypeError(`${where}: unknown task "${String(r.task)}"`);
    const task = r.task as Task;
    const ok =
      task === 'sentiment'
        ? SENTIMENT_CLASSES.includes(r.label as (typeof SENTIMENT_CLASSES)[number])
        : typeof r.label === 'boolean';
    if (!ok) throw new TypeError(`${where}: label ${JSON.stringify(r.label)} does not fit task "${task}"`);
    const lang = typeof r.lang === 'string' ? r.lang : 'und';
    rows.push({
      id: `${source}:${i + 1}`,
      source,
      lang,
      text: r.text,
      task,
      label: r.label as boolean | string,
    });
  });
  return rows;
}

/** Reads every row `train` may fit on, plus the extra brand files. */
export function trainingData(extra: readonly string[] = []): TrainingData {
  const own = loadOwnExamples();
  const external = loadExternal();
  const rows: Row[] = [...own.rows];
  const files: DataFile[] = [...own.files];
  const fitSources = new Set(
    Object.entries(SOURCE_LICENCES)
      .filter(([, v]) => v.fit)
      .map(([k]) => k),
  );
  rows.push(...external.rows.filter((r) => fitSources.has(r.source)));
  files.push(...external.files.filter((f) => fitSources.has(basename(f.name).split('.')[0] as string)));
  for (const file of extra) {
    const text = readFileSync(resolve(file), 'utf8');
    rows.push(...parseBrandRows(text, basename(file)));
    files.push({
      name: `brand:${basename(file)}`,
      sha256: createHash('sha256').update(text).digest('hex'),
      rows: text.split('\n').filter((l) => l.trim()).length,
    });
  }
  if (!rows.some((r) => r.task === 'praise')) rows.push(...praiseStandIn(rows));
  rows.push(...notSpamStandIn(rows));
  rows.push(...notToxicStandIn(rows, hasToxicWord));
  return { rows, files };
}

/** Whether a text has a word of toxic.txt (or a toxic phrase of cues.txt), as the engine reads it. */
function hasToxicWord(text: string): boolean {
  const a = analyse(text);
  const evidence = { toxic: new Set<string>(), spam: new Set<string>() };
  extract(
    a,
    detectLanguage(text, undefined, a).language,
    { hashBits: HASH_BITS, charMin: 0, charMax: 0 },
    evidence,
  );
  return evidence.toxic.size > 0;
}

export interface TaskChoice {
  task: Task;
  params: TaskParams;
  score: number;
  rows: number;
  sources: string[];
}

export interface TrainResult {
  model: ModelFile;
  features: FeatureConfig;
  choices: TaskChoice[];
  files: DataFile[];
  module: string;
}

function log(msg: string): void {
  if (process.env.TRAIN_QUIET !== '1') process.stderr.write(`${msg}\n`);
}

type Cv = BinaryCv | SentimentCv;

function selectParams(
  task: Task,
  fit: Row[],
  xs: FeatureVector[],
  dim: number,
  hashed: number,
): { choice: TaskChoice; cv: Cv } {
  const multi = new Set(fit.map((r) => r.source)).size > 1;
  let best: { choice: TaskChoice; cv: Cv } | undefined;
  for (const p of paramGrid(multi)) {
    const cv =
      task === 'sentiment'
        ? crossValidateSentiment(fit, xs, dim, hashed, p)
        : crossValidateBinary(task as BinaryHead, fit, xs, dim, hashed, p);
    log(`  ${task} l2=${p.l2} epochs=${p.epochs} balanceSources=${p.balanceSources}: ${cv.score.toFixed(4)}`);
    if (!best || cv.score > best.choice.score + 1e-9)
      best = {
        choice: {
          task,
          params: p,
          score: cv.score,
          rows: fit.length,
          sources: [...new Set(fit.map((r) => r.source))].sort(),
        },
        cv,
      };
  }
  return best as { choice: TaskChoice; cv: Cv };
}

/** Fits everything; `onlyFeatures` skips the n-gram search (tests and quick runs). */
export function train(data: TrainingData, onlyFeatures?: FeatureConfig): TrainResult {
  const hashed = 1 << (onlyFeatures?.hashBits ?? HASH_BITS);
  const dim = hashed + NAMED_COUNT;
  const byTask = new Map(TASKS.map((t) => [t, taskRows(data.rows, t).fit] as const));
  for (const [t, rows] of byTask) if (rows.length === 0) throw new RangeError(`no rows to fit "${t}" on`);

  // 1. The character n-gram range: one for all tasks (the engine builds one vector per comment).
  let features = onlyFeatures;
  if (!features) {
    let bestScore = -1;
    for (const [charMin, charMax] of CHAR_RANGES) {
      const config = { hashBits: HASH_BITS, charMin, charMax };
      const cache = new Map<string, FeatureVector>();
      let sum = 0;
      for (const t of TASKS) {
        const rows = byTask.get(t) as Row[];
        const xs = vectorise(rows, config, cache);
        const cv =
          t === 'sentiment'
            ? crossValidateSentiment(rows, xs, dim, hashed, BASE)
            : crossValidateBinary(t as BinaryHead, rows, xs, dim, hashed, BASE);
        sum += cv.score;
      }
      const score = sum / TASKS.length;
      log(`characters ${charMin}-${charMax}: mean CV score ${score.toFixed(4)}`);
      if (score > bestScore + 1e-9) {
        bestScore = score;
        features = config;
      }
    }
  }
  const config = features as FeatureConfig;
  const cache = new Map<string, FeatureVector>();

  // 2. Per task: settings by CV, calibration and threshold from the out-of-fold scores, final fit.
  const choices: TaskChoice[] = [];
  const heads = new Map<string, LinearWeights>();
  const platt = {} as Record<BinaryHead, { a: number; b: number }>;
  const thresholds = {} as Record<BinaryHead, number>;
  let temperature = 1;
  for (const t of TASKS) {
    const rows = byTask.get(t) as Row[];
    const xs = vectorise(rows, config, cache);
    const { choice, cv: chosen } = selectParams(t, rows, xs, dim, hashed);
    choices.push(choice);
    if (t === 'sentiment') {
      const cv = chosen as SentimentCv;
      temperature = shipped(fitTemperature(cv.logits, rows.map(sentimentIndex)));
      const models = fitSentimentTask(xs, rows, dim, hashed, choice.params);
      for (const [c, m] of models.entries()) heads.set(HEADS[6 + c] as string, m);
    } else {
      const head = t as BinaryHead;
      const cv = chosen as BinaryCv;
      const p = fitPlatt(
        cv.logits,
        Array.from(rows, (r) => (r.label === true ? 1 : 0)),
      );
      platt[head] = { a: shipped(p.a), b: shipped(p.b) };
      const probs = Array.from(cv.logits, (z) => sigmoid(platt[head].a * z + platt[head].b));
      thresholds[head] = chooseThreshold(probs, rows);
      heads.set(head, fitBinaryTask(xs, rows, dim, hashed, choice.params));
    }
  }

  // 3. The shipped form.
  const order = [...HEADS];
  const quantised = order.map((h) => quantise((heads.get(h) as LinearWeights).w, hashed));
  const interleaved = new Int8Array(hashed * order.length);
  for (let b = 0; b < hashed; b++)
    for (let h = 0; h < order.length; h++)
      interleaved[b * order.length + h] = (quantised[h]?.q[b] as number) ?? 0;
  const model: ModelFile = {
    features: config,
    heads: order,
    scales: quantised.map((q) => shipped(q.scale)),
    biases: order.map((h) => shipped((heads.get(h) as LinearWeights).bias)),
    named: order.map((h) => Array.from((heads.get(h) as LinearWeights).w.subarray(hashed), shipped)),
    hashed: encodeWeights(interleaved),
    platt,
    temperature,
    thresholds,
  };
  return {
    model,
    features: config,
    choices,
    files: data.files,
    module: renderModule(model, choices, data.files),
  };
}

function renderModule(model: ModelFile, choices: readonly TaskChoice[], files: readonly DataFile[]): string {
  const { hashed, ...rest } = model;
  const training = {
    data: [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    tasks: Object.fromEntries(
      choices.map((c) => [
        c.task,
        {
          sources: c.sources,
          rows: c.rows,
          cvScore: Number(c.score.toFixed(4)),
          params: c.params,
        },
      ]),
    ),
    namedFeatures: NAMED_FEATURES.map(([n]) => n),
  };
  return [
    '// Generated by `npm run train` (eval/train.ts): do not edit. Rebuild with `npm run train`;',
    '// `npm run train -- --check` verifies that this file is what the data below gives.',
    "// Fitted on the project's own examples (eval/corpus, MIT) and, of ../shared/datasets, only the",
    '// sources whose licence lets weights ship (eval/data.ts SOURCE_LICENCES).',
    "import type { ModelFile } from './model.ts';",
    '',
    '/** What the weights were fitted on (SHA-256 of each file) and the settings cross-validation chose. */',
    `export const TRAINING = ${JSON.stringify(training, null, 2)} as const;`,
    '',
    `export const MODEL: ModelFile = { ...${JSON.stringify(rest)}, hashed: ${JSON.stringify(hashed)} };`,
    '',
  ].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const extra: string[] = [];
  let out = MODEL_PATH;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--extra') extra.push(args[++i] as string);
    if (args[i] === '--out') out = resolve(args[++i] as string);
  }
  const dir = datasetsDir();
  if (!existsSync(dir)) {
    process.stderr.write(
      `No datasets at ${dir}: the committed weights are fitted on them too. Set DATASETS_DIR or run from a checkout next to shared/datasets.\n`,
    );
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const result = train(trainingData(extra));
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (check) {
    const onDisk = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (onDisk === result.module) process.stdout.write(`${out} is up to date (${seconds} s)\n`);
    else {
      process.stdout.write(`${out} differs from what the data gives: run npm run train\n`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(out, result.module);
  const kb = (Buffer.byteLength(result.module) / 1024).toFixed(0);
  process.stdout.write(`wrote ${out} (${kb} KB) in ${seconds} s\n`);
  for (const c of result.choices)
    process.stdout.write(
      `  ${c.task.padEnd(10)} CV ${c.score.toFixed(3)}  l2=${c.params.l2} epochs=${c.params.epochs} balanceSources=${c.params.balanceSources}  (${c.rows} rows: ${c.sources.join(', ')})\n`,
    );
  process.stdout.write(
    `  characters ${result.features.charMin}-${result.features.charMax}; thresholds ${BINARY_TASKS.map((t) => `${t} ${result.model.thresholds[t]}`).join(', ')}\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
