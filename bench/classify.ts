/**
 * Classifier figures for `npm run bench`: throughput on one core for comment-sized texts, module
 * init time, peak memory, and Comprehend units per 1,000 comments for each policy (the Comprehend
 * client is faked: the units are what the calls would be billed, nothing is sent).
 * The texts are generated here from phrases written for this project, never dataset rows.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
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

export async function benchClassifier(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const t0 = performance.now();
  const { classifyLocally, createLocalClassifier } = await import('../shared/classify/local-engine.ts');
  const { createCascadeClassifier, COMPREHEND_POLICIES } = await import('../shared/classify/cascade.ts');
  const { createComprehendEngine } = await import('../shared/classify/comprehend-engine.ts');
  const initMs = performance.now() - t0;
  // The first call pays for lazily compiled regular expressions; count it as part of init.
  const t1 = performance.now();
  classifyLocally({ text: 'warm up: bonjour, is this thing on?' });
  const firstCallMs = performance.now() - t1;
  rows.push({
    metric: 'classifier module init (import + first call)',
    value: `${(initMs + firstCallMs).toFixed(1)} ms`,
  });

  const comments = makeComments(20_000);
  const avgLen = comments.reduce((s, c) => s + c.text.length, 0) / comments.length;
  for (let i = 0; i < 2_000; i++) classifyLocally(comments[i] as ClassifyInput);
  let peakRss = process.memoryUsage().rss;
  const start = performance.now();
  for (const c of comments) classifyLocally(c);
  const elapsed = performance.now() - start;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  rows.push({
    metric: `local classifications/s, one core (avg ${avgLen.toFixed(0)} chars)`,
    value: `${Math.round((comments.length / elapsed) * 1000).toLocaleString('en-US')}`,
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
