/**
 * `npm run eval`: how the local engine does on rows it has not seen, beside the targets of issue 14.
 *
 * 1. Cross-validation per task on the fitting rows (own examples and the shippable sources), with the
 *    settings `npm run train` chose: per source, mean ± sd over the 5 folds, and the calibration error
 *    of the out-of-fold probabilities.
 * 2. A cross-source check for toxicity: fitted without one source, measured on it.
 * 3. The shipped engine on the sources it may never be fitted on (non-commercial or unlicensed): these
 *    rows were used for nothing, so the figure is a plain measurement.
 * 4. Language detection per source on texts of 20 characters or more.
 * 5. The project's own French examples against what the rule engine scored on them before (issue 14:
 *    "at least as good as today").
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NAMED_COUNT } from '../shared/classify/features.ts';
import { detectLanguage } from '../shared/classify/language.ts';
import { classifyLocally } from '../shared/classify/local-engine.ts';
import { MODEL, TRAINING } from '../shared/classify/model.generated.ts';
import type { BinaryHead } from '../shared/classify/model.ts';
import type { Classification } from '../shared/domain/classification.ts';
import {
  chooseThreshold,
  choosingSource,
  crossValidateBinary,
  crossValidateSentiment,
  FOLDS,
  fitBinaryTask,
  type SourceFigure,
  sentimentIndex,
  type TaskParams,
  vectorise,
} from './cv.ts';
import {
  type BinaryTask,
  datasetsDir,
  foldOf,
  loadExternal,
  type Row,
  SENTIMENT_CLASSES,
  SOURCE_LICENCES,
  TASKS,
  type Task,
  taskRows,
} from './data.ts';
import { dot, fitPlatt, sigmoid } from './fit.ts';
import {
  binaryScore,
  ECE_BINS,
  expectedCalibrationError,
  macroF1,
  meanSd,
  topLabelCalibrationError,
} from './metrics.ts';
import { trainingData } from './train.ts';

/** Issue 14's targets, by source: F1 of the task's positive class, macro-F1 for sentiment. */
export const TARGETS: Record<string, number> = {
  nps_chat_question: 0.9,
  semeval2019_suggestion: 0.76,
  complaints_twitter: 0.78,
  youtube_spam: 0.96,
  tweeteval_offensive: 0.7,
  davidson_hate_offensive: 0.97,
  mlma_fr_toxic: 0.85,
  tweeteval_sentiment: 0.66,
  xlmt_sentiment_fr: 0.62,
};
/** Issue 14: language detection ≥ 0.98 on texts of 20+ characters, on every source. */
export const LANGUAGE_TARGET = 0.98;
export const LANGUAGE_MIN_CHARS = 20;
/** Not an issue target: the project's aim for calibrated probabilities that thresholds can trust. */
export const ECE_AIM = 0.05;

/**
 * The rule engine (commit ffd2e97, before issue 14) on our own examples, all parts of a source
 * together: the bar "at least as good as today". The files written for issue 14 were measured before
 * they were used for anything; complaint.en.1 is one the rules were read off, so 0.606 is in-sample.
 */
export const RULE_ENGINE_BASELINE: Record<string, number> = {
  'own:complaint.en': 0.606,
  'own:complaint.fr': 0.667,
  'own:question.fr': 0.841,
  'own:suggestion.en': 0.821,
  'own:suggestion.fr': 0.79,
  'own:spam.en': 0.72,
  'own:spam.fr': 0.483,
  'own:toxic.fr': 0.82,
};

function fmt(n: number): string {
  return Number.isFinite(n) ? n.toFixed(3) : '—';
}

function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [row(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}

function verdict(value: number, target: number | undefined, higherIsBetter = true): string {
  if (target === undefined) return '';
  return (higherIsBetter ? value >= target : value <= target) ? ' ✓' : ' ✗';
}

function targetCell(source: string): string {
  const t = TARGETS[source] ?? RULE_ENGINE_BASELINE[source];
  if (t === undefined) return '—';
  return `≥ ${t.toFixed(2)}${TARGETS[source] === undefined ? ' (rules)' : ''}`;
}

function paramsOf(task: Task): TaskParams {
  return (TRAINING.tasks as unknown as Record<Task, { params: TaskParams }>)[task].params;
}

interface CvSection {
  lines: string[][];
  ece: Array<[string, number, number]>;
}

function cvSection(rows: readonly Row[]): CvSection {
  const hashed = 1 << MODEL.features.hashBits;
  const dim = hashed + NAMED_COUNT;
  const cache = new Map();
  const lines: string[][] = [];
  const ece: Array<[string, number, number]> = [];
  for (const task of TASKS) {
    const fit = taskRows(rows, task).fit;
    const xs = vectorise(fit, MODEL.features, cache);
    const p = paramsOf(task);
    let perSource: SourceFigure[];
    if (task === 'sentiment') {
      const cv = crossValidateSentiment(fit, xs, dim, hashed, p);
      perSource = cv.perSource;
      ece.push([task, topLabelCalibrationError(cv.probs, fit.map(sentimentIndex)), fit.length]);
    } else {
      const cv = crossValidateBinary(task as BinaryTask, fit, xs, dim, hashed, p);
      perSource = cv.perSource;
      ece.push([
        task,
        expectedCalibrationError(
          cv.probs,
          fit.map((r) => r.label === true),
        ),
        fit.length,
      ]);
    }
    for (const f of perSource) {
      const target = TARGETS[f.source] ?? RULE_ENGINE_BASELINE[f.source];
      lines.push([
        task,
        f.source,
        String(f.rows),
        targetCell(f.source),
        `${fmt(f.mean)} ± ${fmt(f.sd)}${verdict(f.mean, target)}`,
        fmt(f.pooled),
        f.detail,
      ]);
    }
  }
  return { lines, ece };
}

/** Fit toxicity without one source (calibration and threshold by CV on the rest), measure on it. */
function crossSourceToxic(rows: readonly Row[]): string[][] {
  const hashed = 1 << MODEL.features.hashBits;
  const dim = hashed + NAMED_COUNT;
  const fit = taskRows(rows, 'toxic').fit;
  const cache = new Map();
  const p = paramsOf('toxic');
  const out: string[][] = [];
  // A stand-in leaves with its pool: own:toxic.fr goes with the French comments drawn as not-toxic.
  for (const left of [...new Set(fit.map(choosingSource))].sort()) {
    const rest = fit.filter((r) => choosingSource(r) !== left);
    const held = fit.filter((r) => choosingSource(r) === left);
    const xs = vectorise(rest, MODEL.features, cache);
    const cv = crossValidateBinary('toxic', rest, xs, dim, hashed, p);
    const platt = fitPlatt(
      cv.logits,
      rest.map((r) => (r.label === true ? 1 : 0)),
    );
    const threshold = chooseThreshold(
      Array.from(cv.logits, (z) => sigmoid(platt.a * z + platt.b)),
      rest,
    );
    const model = fitBinaryTask(xs, rest, dim, hashed, p);
    const hx = vectorise(held, MODEL.features, cache);
    const probs = hx.map((x) => sigmoid(platt.a * dot(model, x) + platt.b));
    const s = binaryScore(held.map((r, i) => [r.label === true, (probs[i] as number) >= threshold] as const));
    const inSource = TARGETS[left];
    out.push([
      left,
      String(held.length),
      inSource === undefined ? '—' : `≥ ${inSource.toFixed(2)} (in-source)`,
      fmt(s.f1),
      `P ${fmt(s.precision)} R ${fmt(s.recall)}`,
      fmt(
        expectedCalibrationError(
          probs,
          held.map((r) => r.label === true),
        ),
      ),
    ]);
  }
  return out;
}

function predicted(task: Task, c: Classification): boolean {
  if (task === 'toxic') return c.toxic.flag;
  if (task === 'spam') return c.spam.flag;
  return c.intents.includes(task as Exclude<Task, 'sentiment' | 'toxic' | 'spam'>);
}

function probabilityOf(task: Task, c: Classification): number {
  return (c.scores as NonNullable<Classification['scores']>)[task as BinaryHead];
}

/** The shipped engine on sources it was never fitted on: per fold of the same hash, and pooled. */
function measureOnly(rows: readonly Row[]): string[][] {
  const out: string[][] = [];
  const sources = [
    ...new Set(rows.filter((r) => SOURCE_LICENCES[r.source]?.fit === false).map((r) => r.source)),
  ].sort();
  for (const source of sources) {
    // Its dev and train files alike: neither was read for fitting or choosing anything.
    const dev = rows.filter((r) => r.source === source);
    const task = dev[0]?.task as Task;
    const results = dev.map((r) => classifyLocally({ text: r.text }));
    const folds = dev.map((r) => foldOf(r.text, FOLDS));
    const perFold: number[] = [];
    let pooled: number;
    let detail: string;
    let ece: number;
    if (task === 'sentiment') {
      const pairs = dev.map(
        (r, i) => [String(r.label), (results[i] as Classification).sentiment.label] as const,
      );
      for (let k = 0; k < FOLDS; k++)
        perFold.push(
          macroF1(
            pairs.filter((_, i) => folds[i] === k),
            SENTIMENT_CLASSES,
          ),
        );
      pooled = macroF1(pairs, SENTIMENT_CLASSES);
      detail = `accuracy ${fmt(pairs.filter(([g, q]) => g === q).length / pairs.length)}`;
      const probs = results.map((c) => {
        const s = c.scores?.sentiment ?? { negative: 0, neutral: 0, positive: 0 };
        return [s.negative, s.neutral, s.positive];
      });
      ece = topLabelCalibrationError(probs, dev.map(sentimentIndex));
    } else {
      const pairs = dev.map(
        (r, i) => [r.label === true, predicted(task, results[i] as Classification)] as const,
      );
      for (let k = 0; k < FOLDS; k++) perFold.push(binaryScore(pairs.filter((_, i) => folds[i] === k)).f1);
      const s = binaryScore(pairs);
      pooled = s.f1;
      detail = `P ${fmt(s.precision)} R ${fmt(s.recall)}`;
      ece = expectedCalibrationError(
        results.map((c) => probabilityOf(task, c)),
        dev.map((r) => r.label === true),
      );
    }
    const { mean, sd } = meanSd(perFold);
    out.push([
      task,
      source,
      String(dev.length),
      targetCell(source),
      `${fmt(mean)} ± ${fmt(sd)}${verdict(mean, TARGETS[source])}`,
      fmt(pooled),
      detail,
      fmt(ece),
      SOURCE_LICENCES[source]?.licence ?? '',
    ]);
  }
  return out;
}

function languageSection(rows: readonly Row[]): string[][] {
  const out: string[][] = [];
  for (const source of [...new Set(rows.map((r) => r.source))].sort()) {
    const long = rows.filter((r) => r.source === source && [...r.text].length >= LANGUAGE_MIN_CHARS);
    if (long.length === 0) continue;
    const right = long.filter((r) => detectLanguage(r.text).language === r.lang).length;
    const acc = right / long.length;
    out.push([
      source,
      long[0]?.lang ?? '',
      String(long.length),
      `≥ ${LANGUAGE_TARGET}`,
      `${fmt(acc)}${verdict(acc, LANGUAGE_TARGET)}`,
    ]);
  }
  return out;
}

function main(): void {
  const started = performance.now();
  const dir = datasetsDir();
  const data = trainingData();
  const out: string[] = [];
  const stale = TRAINING.data.filter(
    (f) => !data.files.some((g) => g.name === f.name && g.sha256 === f.sha256),
  );
  out.push(
    stale.length === 0
      ? `Weights fitted on the ${TRAINING.data.length} data files present (SHA-256 match).`
      : `WARNING: the weights were fitted on other data (${stale.map((f) => f.name).join(', ')}): run npm run train.`,
  );
  if (!existsSync(dir))
    out.push(`No datasets at ${dir}: the cross-validation below uses the project's own examples only.`);

  out.push('', `1. Cross-validation on the fitting rows (${FOLDS} folds by text hash; mean ± sd over folds)`);
  const cv = cvSection(data.rows);
  out.push(table(['task', 'source', 'rows', 'target', 'CV mean ± sd', 'pooled', 'detail'], cv.lines));
  out.push(
    '',
    `Calibration (expected calibration error, ${ECE_BINS} bins, out-of-fold probabilities; aim ≤ ${ECE_AIM})`,
  );
  out.push(
    table(
      ['task', 'rows', 'ECE'],
      cv.ece.map(([t, e, n]) => [t, String(n), `${fmt(e)}${verdict(e, ECE_AIM, false)}`]),
    ),
  );

  out.push('', '2. Cross-source toxicity: fitted without the source, measured on all of it');
  out.push(table(['left-out source', 'rows', 'target', 'F1', 'detail', 'ECE'], crossSourceToxic(data.rows)));

  const external = loadExternal(dir);
  const measured = external.rows.filter((r) => SOURCE_LICENCES[r.source]?.fit === false);
  if (measured.length > 0) {
    out.push(
      '',
      '3. The shipped engine on sources never used for fitting or choosing (licence: measure only)',
    );
    out.push(
      table(
        [
          'task',
          'source',
          'rows',
          'target',
          'mean ± sd (5 hash folds)',
          'pooled',
          'detail',
          'ECE',
          'licence',
        ],
        measureOnly(measured),
      ),
    );
  }

  out.push(
    '',
    `4. Language detection on texts of ${LANGUAGE_MIN_CHARS}+ characters (dataset-level language tag)`,
  );
  const langRows = [
    ...external.rows,
    ...data.rows.filter((r) => r.source.startsWith('own:') && !r.id.includes('-from-')),
  ];
  out.push(table(['source', 'lang', 'rows', 'target', 'accuracy'], languageSection(langRows)));

  out.push(
    '',
    `Targets: issue 14 (sources); "(rules)" = the rule engine's figure on our own examples before issue 14.`,
    `${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
