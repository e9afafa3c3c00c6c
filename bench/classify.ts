/**
 * Classifier figures for `npm run bench`: throughput on one core for comment-sized texts, module
 * init time, peak memory, and Comprehend units per 1,000 comments for each policy (the Comprehend
 * client is faked: the units are what the calls would be billed, nothing is sent).
 * The texts are generated here from phrases written for this project, never dataset rows.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ComprehendApi } from '../shared/adapters/comprehend.ts';
import type { ClassifyInput } from '../shared/domain/classification.ts';

export interface BenchRow {
  metric: string;
  value: string;
}

const OPENINGS = [
  'Bonjour,',
  'Hello team,',
  '@support',
  'Franchement',
  'Honestly',
  '',
  'Hi!',
  'Salut à tous,',
];
const BODIES = [
  "pourquoi ma commande n'est toujours pas arrivée ? ça fait deux semaines que j'attends",
  'the new update is great, thanks a lot for the dark mode 👍',
  'ce serait bien de pouvoir exporter les factures en PDF depuis l’application',
  'my package was delivered to the wrong address and nobody answers the chat',
  "j'adore votre nouvelle collection, bravo à toute l'équipe ❤️",
  'check out my channel for free giveaways http://example.com/promo subscribe!!',
  'is there a way to change my password without the app?',
  "espèce d'abruti, vous êtes vraiment des incapables",
  'you should add an option to pause the subscription during holidays',
  'le service client est nul, trois appels et toujours rien',
  'what time does the store open on Sunday?',
  'merci pour la réponse rapide, problème résolu',
  'this is the worst experience I have ever had with an online shop',
  'quelqu’un sait si la promo marche aussi en magasin ?',
];
const CLOSINGS = ['', ' Merci.', ' Thanks!', ' 😡', ' Cordialement', ' @brand', ' #fail', ' lol'];

/** Deterministic comments of realistic length (about 30 to 300 characters). */
export function makeComments(n: number): ClassifyInput[] {
  const out: ClassifyInput[] = [];
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  for (let i = 0; i < n; i++) {
    const parts = [pick(OPENINGS), pick(BODIES)];
    if (next() < 0.35) parts.push(pick(BODIES));
    parts.push(pick(CLOSINGS));
    out.push({ id: `bench-${i}`, text: parts.join(' ').trim() });
  }
  return out;
}

/** Answers like Comprehend would, instantly: enough to count calls and units. */
export function fakeComprehendApi(): ComprehendApi {
  return {
    async batchDetectSentiment(_lang, texts) {
      return {
        results: texts.map((_, index) => ({
          index,
          sentiment: 'NEUTRAL' as const,
          scores: { positive: 0.1, negative: 0.1, neutral: 0.8, mixed: 0 },
        })),
        errors: [],
      };
    },
    async batchDetectDominantLanguage(texts) {
      return {
        results: texts.map((_, index) => ({ index, languages: [{ code: 'en', score: 0.9 }] })),
        errors: [],
      };
    },
    async detectToxicContent(texts) {
      return texts.map(() => ({ toxicity: 0.05, labels: [] }));
    },
  };
}

/** The first comment of a cold start in the figures below: French, a link, an emoji, a question. */
export const FIRST_COMMENT =
  "Bonjour @support, pourquoi ma commande n'est toujours pas arrivée ? 😡 Franchement c'est nul https://example.com/suivi";

const PROBE = `
const c0 = process.cpuUsage();
const t0 = performance.now();
const engine = await import(process.argv[2]);
const t1 = performance.now();
engine.classifyLocally({ text: process.argv[3] });
const t2 = performance.now();
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, cpuMs: (c.user + c.system) / 1000 }));
`;

export interface ColdStart {
  importMs: number;
  firstMs: number;
  cpuMs: number;
}

/**
 * Init the way Lambda sees it: `local-engine.ts` bundled by esbuild into one ES module, then, in a
 * fresh node process each time, `import()` of the bundle and the first classification. Medians of
 * `runs`; `cpuMs` is the process CPU time over the same span (import + first call), which a loaded
 * machine inflates far less than wall time.
 */
export async function measureColdStart(runs = 7): Promise<ColdStart & { bundleKb: number }> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'classifier-bench-'));
  try {
    const bundle = join(dir, 'engine.mjs');
    const probe = join(dir, 'probe.mjs');
    const entry = join(
      dirname(fileURLToPath(import.meta.url)),
      '..',
      'shared',
      'classify',
      'local-engine.ts',
    );
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
      metafile: true,
    });
    const bundleKb = (Object.values(result.metafile.outputs)[0]?.bytes ?? 0) / 1024;
    writeFileSync(probe, PROBE);
    const samples: ColdStart[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(process.execPath, [probe, pathToFileURL(bundle).href, FIRST_COMMENT], {
        encoding: 'utf8',
      });
      samples.push(JSON.parse(out) as ColdStart);
    }
    const median = (pick: (s: ColdStart) => number) => {
      const sorted = samples.map(pick).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] as number;
    };
    return {
      importMs: median((s) => s.importMs),
      firstMs: median((s) => s.firstMs),
      cpuMs: median((s) => s.cpuMs),
      bundleKb,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchClassifier(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cold = await measureColdStart();
  rows.push({
    metric: 'classifier cold start, esbuild bundle, fresh node (median of 7)',
    value: `${(cold.importMs + cold.firstMs).toFixed(1)} ms (import ${cold.importMs.toFixed(1)} + first call ${cold.firstMs.toFixed(1)}; CPU ${cold.cpuMs.toFixed(1)} ms; bundle ${cold.bundleKb.toFixed(0)} KB)`,
  });
  const t0 = performance.now();
  const { classifyLocally, createLocalClassifier } = await import('../shared/classify/local-engine.ts');
  const { createCascadeClassifier, COMPREHEND_POLICIES } = await import('../shared/classify/cascade.ts');
  const { createComprehendEngine } = await import('../shared/classify/comprehend-engine.ts');
  const initMs = performance.now() - t0;
  // The first call pays for lazily compiled regular expressions; count it as part of init.
  const t1 = performance.now();
  classifyLocally({ text: FIRST_COMMENT });
  const firstCallMs = performance.now() - t1;
  rows.push({
    metric: 'classifier module init under tsx (import + first call, includes transpiling)',
    value: `${(initMs + firstCallMs).toFixed(1)} ms`,
  });

  const comments = makeComments(20_000);
  const avgLen = comments.reduce((s, c) => s + c.text.length, 0) / comments.length;
  for (let i = 0; i < 5_000; i++) classifyLocally(comments[i] as ClassifyInput);
  let peakRss = process.memoryUsage().rss;
  // Three timed passes over the 20,000 comments: the machines are shared, so the median and the best
  // pass are both printed (the best is the closest to an unshared core, which is what a Lambda gets).
  const rates: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const start = performance.now();
    for (const c of comments) classifyLocally(c);
    rates.push((comments.length / (performance.now() - start)) * 1000);
  }
  rates.sort((a, b) => a - b);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  rows.push({
    metric: `local classifications/s, one core (avg ${avgLen.toFixed(0)} chars; median / best of 3 passes)`,
    value: `${Math.round(rates[1] as number).toLocaleString('en-US')} / ${Math.round(rates[2] as number).toLocaleString('en-US')}`,
  });

  const sample = comments.slice(0, 1_000);
  for (const policy of COMPREHEND_POLICIES) {
    const cascade = createCascadeClassifier({
      local: createLocalClassifier(),
      comprehend: createComprehendEngine({ api: fakeComprehendApi() }),
      policy,
    });
    let total = 0;
    let calls = 0;
    for (let i = 0; i < sample.length; i += 10) {
      const { units } = await cascade.classifyWithUsage(sample.slice(i, i + 10));
      total += units.total;
      calls += units.calls;
    }
    rows.push({
      metric: `Comprehend units per 1,000 comments, policy ${policy}`,
      value: `${total.toLocaleString('en-US')} units, ${calls} calls (≈ $${(total * 0.0001).toFixed(2)})`,
    });
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const { resourceUsage } = process;
  const maxRssKb = resourceUsage().maxRSS;
  rows.push({
    metric: 'peak RSS (process)',
    value: `${(Math.max(peakRss, maxRssKb * 1024) / 1024 / 1024).toFixed(0)} MB`,
  });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await benchClassifier()) process.stdout.write(`${r.metric.padEnd(60)} ${r.value}\n`);
}
