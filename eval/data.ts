/**
 * The labelled rows `npm run train` fits on and `npm run eval` measures on, and the rule that decides
 * which may be fitted: weights committed to this MIT repository are fitted only on sources whose
 * licence allows it (shared/datasets/SOURCES.md) and on the examples this project wrote itself
 * (eval/corpus). The other sources are measured, never fitted.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Task = 'question' | 'suggestion' | 'complaint' | 'praise' | 'toxic' | 'spam' | 'sentiment';
export const BINARY_TASKS = ['question', 'suggestion', 'complaint', 'praise', 'toxic', 'spam'] as const;
export type BinaryTask = (typeof BINARY_TASKS)[number];
export const TASKS: readonly Task[] = [...BINARY_TASKS, 'sentiment'];
export const SENTIMENT_CLASSES = ['negative', 'neutral', 'positive'] as const;

export interface Row {
  id: string;
  source: string;
  lang: string;
  text: string;
  task: Task;
  label: boolean | string;
  /**
   * A stand-in row (negatives drawn from our other examples) is reported as its own source, and
   * counted with this source when thresholds and settings are chosen, so false alarms cost F1 there.
   */
  poolWith?: string;
}

/**
 * Per external source: whether its licence lets weights fitted on it ship in this repository, and the
 * licence as SOURCES.md states it. A source missing from this table is measured only.
 */
export const SOURCE_LICENCES: Record<string, { fit: boolean; licence: string }> = {
  davidson_hate_offensive: { fit: true, licence: 'MIT' },
  mlma_fr_toxic: { fit: true, licence: 'MIT' },
  tweeteval_offensive: { fit: true, licence: 'TweetEval: released without restrictions' },
  tweeteval_sentiment: { fit: true, licence: 'TweetEval: released without restrictions' },
  youtube_spam: {
    fit: true,
    licence: 'citation requested (Alberto, Lochter & Almeida 2015); listed as shippable in SOURCES.md',
  },
  semeval2019_suggestion: { fit: false, licence: 'CC BY-NC-SA 4.0 (non-commercial)' },
  nps_chat_question: { fit: false, licence: 'non-commercial research and education only' },
  complaints_twitter: { fit: false, licence: 'none stated: all rights reserved by default' },
  xlmt_sentiment_fr: { fit: false, licence: 'repository Apache-2.0; DEFT 2017 data terms unchecked' },
};

export function mayFit(source: string): boolean {
  if (source.startsWith('own:')) return true;
  return SOURCE_LICENCES[source]?.fit === true;
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The labelled examples written for this project, in every clone. */
export const CORPUS_DIR = join(REPO_ROOT, 'eval', 'corpus');

export function datasetsDir(): string {
  if (process.env.DATASETS_DIR) return resolve(process.env.DATASETS_DIR);
  return resolve(REPO_ROOT, '..', 'shared', 'datasets');
}

export interface DataFile {
  /** Path relative to the repository (own examples) or to the datasets folder (external). */
  name: string;
  sha256: string;
  rows: number;
}

export interface LoadedData {
  rows: Row[];
  files: DataFile[];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function parseLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as unknown);
}

/** The corpus file kinds and the task they carry (`offensive` files are toxicity gold). */
const CORPUS_TASK: Record<string, Task> = {
  sentiment: 'sentiment',
  offensive: 'toxic',
  question: 'question',
  complaint: 'complaint',
  suggestion: 'suggestion',
  praise: 'praise',
  spam: 'spam',
};

/**
 * `eval/corpus/<kind>.<lang>.<part>.jsonl` of {"text","label"} lines. The parts of one kind and
 * language form one source, `own:<kind>.<lang>` (for example `own:question.fr`).
 */
export function loadOwnExamples(dir = CORPUS_DIR): LoadedData {
  const rows: Row[] = [];
  const files: DataFile[] = [];
  if (!existsSync(dir)) return { rows, files };
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.jsonl'))
    .sort()) {
    const [kind = '', lang = ''] = f.split('.');
    const task = CORPUS_TASK[kind];
    if (!task) continue;
    const text = readFileSync(join(dir, f), 'utf8');
    const parsed = parseLines(text) as Array<{ text: string; label: boolean | string }>;
    const source = `own:${kind === 'offensive' ? 'toxic' : kind}.${lang}`;
    parsed.forEach((r, i) => {
      rows.push({ id: `${f}:${i + 1}`, source, lang, text: r.text, task, label: r.label });
    });
    files.push({ name: `eval/corpus/${f}`, sha256: sha256(text), rows: parsed.length });
  }
  return { rows, files };
}

/** `<source>.dev.jsonl` and `train/<source>.train.jsonl` of the datasets folder, when it is there. */
export function loadExternal(dir = datasetsDir()): LoadedData {
  const rows: Row[] = [];
  const files: DataFile[] = [];
  if (!existsSync(dir)) return { rows, files };
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.dev.jsonl'))
    .sort();
  const trainDir = join(dir, 'train');
  const trainNames = existsSync(trainDir)
    ? readdirSync(trainDir)
        .filter((f) => f.endsWith('.train.jsonl'))
        .sort()
        .map((f) => `train/${f}`)
    : [];
  for (const name of [...names, ...trainNames]) {
    const text = readFileSync(join(dir, name), 'utf8');
    const parsed = parseLines(text) as Row[];
    rows.push(...parsed);
    files.push({ name, sha256: sha256(text), rows: parsed.length });
  }
  return { rows, files };
}

/** The key two rows share when they hold the same text (as the datasets' dedupe builds it). */
export function textKey(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Cross-validation fold of a row, by its text: the same text is in the same fold in every source. */
export function foldOf(text: string, folds: number): number {
  const d = createHash('sha256')
    .update(`fold|${textKey(text)}`)
    .digest();
  return d.readUInt32BE(0) % folds;
}

/** The rows of one task a model may be fitted on, and the ones it may only be measured on. */
export function taskRows(rows: readonly Row[], task: Task): { fit: Row[]; measure: Row[] } {
  const mine = rows.filter((r) => r.task === task);
  return { fit: mine.filter((r) => mayFit(r.source)), measure: mine.filter((r) => !mayFit(r.source)) };
}

/**
 * Praise has no gold anywhere (SOURCES.md): until the project writes praise examples, its stand-in is
 * the project's own comments to brands and in communities (`sentiment.*.2`), positive = praise.
 */
export function praiseStandIn(rows: readonly Row[]): Row[] {
  return rows
    .filter(
      (r) => r.task === 'sentiment' && r.source.startsWith('own:') && /^sentiment\.\w+\.2\.jsonl:/.test(r.id),
    )
    .map((r) => ({
      ...r,
      id: `praise-from-${r.id}`,
      source: `own:praise-from-sentiment.${r.lang}`,
      task: 'praise',
      label: r.label === 'positive',
    }));
}

/** About one in this many of the project's own comments joins the spam task as a not-spam example. */
export const NOT_SPAM_SAMPLE = 12;

/**
 * The spam sources are music-video comments (youtube_spam) and a few hundred lines of ours: alone,
 * they teach that "please add" or "check" is spam. The project's own examples of the other tasks are
 * genuine comments to brands and communities, written as such, so a hash-drawn sample of them joins
 * the spam task as not-spam (`own:not-spam.<lang>`, pooled with `own:spam.<lang>` for choosing).
 */
export function notSpamStandIn(rows: readonly Row[]): Row[] {
  return rows
    .filter((r) => r.source.startsWith('own:') && r.task !== 'spam' && !r.id.startsWith('praise-from-'))
    .filter(
      (r) =>
        createHash('sha256').update(`not-spam|${r.text}`).digest().readUInt32BE(0) % NOT_SPAM_SAMPLE === 0,
    )
    .map((r) => ({
      ...r,
      id: `not-spam-from-${r.id}`,
      source: `own:not-spam.${r.lang === 'fr' ? 'fr' : 'en'}`,
      poolWith: `own:spam.${r.lang === 'fr' ? 'fr' : 'en'}`,
      task: 'spam' as const,
      label: false,
    }));
}

/** About one in this many of the project's own French comments joins the toxic task as not-toxic. */
export const NOT_TOXIC_SAMPLE = 3;

/**
 * French toxicity has one external source, mlma_fr_toxic, 78% toxic and collected with hate keywords:
 * alone, it teaches that French is toxic. The project's own French comments (sentiment, questions,
 * complaints, suggestions) are ordinary comments; a hash-drawn sample of those with no word of
 * toxic.txt (`hasToxicWord`) joins as not-toxic (`own:not-toxic.fr`, pooled with `own:toxic.fr`).
 */
export function notToxicStandIn(rows: readonly Row[], hasToxicWord: (text: string) => boolean): Row[] {
  return rows
    .filter(
      (r) => r.source.startsWith('own:') && r.lang === 'fr' && r.task !== 'toxic' && !r.id.includes('-from-'),
    )
    .filter(
      (r) =>
        createHash('sha256').update(`not-toxic|${r.text}`).digest().readUInt32BE(0) % NOT_TOXIC_SAMPLE === 0,
    )
    .filter((r) => !hasToxicWord(r.text))
    .map((r) => ({
      ...r,
      id: `not-toxic-from-${r.id}`,
      source: 'own:not-toxic.fr',
      poolWith: 'own:toxic.fr',
      task: 'toxic' as const,
      label: false,
    }));
}
