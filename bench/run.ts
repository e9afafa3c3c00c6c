import '../infra/local/quiet-env.ts';
import type { BenchRow } from './classify.ts';

/**
 * `npm run bench`: measures, never asserts. Prints one table; each section runs on its own so one
 * failing section does not hide the others. `npm run bench -- --only pipeline` runs one section.
 */
const SECTIONS: Record<string, () => Promise<BenchRow[]>> = {
  // First, so its init figure is measured before any other section has loaded the engine.
  classifier: async () => (await import('./classify.ts')).benchClassifier(),
  pipeline: async () => (await import('./pipeline.ts')).benchPipeline(),
  store: async () => (await import('./kpi-store.ts')).benchKpiStore(),
  sources: async () => (await import('./sources.ts')).benchSources(),
  bundles: async () => (await import('./bundles.ts')).benchBundles(),
};

async function main() {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const table: { section: string; metric: string; value: string }[] = [];
  let failed = false;
  for (const [section, run] of Object.entries(SECTIONS)) {
    if (only && section !== only) continue;
    try {
      for (const row of await run()) table.push({ section, ...row });
    } catch (error) {
      failed = true;
      table.push({ section, metric: 'FAILED', value: (error as Error).message });
    }
  }
  const width = Math.max(...table.map((r) => r.metric.length), 6);
  console.log(`\n${'section'.padEnd(11)} ${'metric'.padEnd(width)}  value`);
  console.log(`${'-'.repeat(11)} ${'-'.repeat(width)}  ${'-'.repeat(20)}`);
  for (const row of table) console.log(`${row.section.padEnd(11)} ${row.metric.padEnd(width)}  ${row.value}`);
  console.log(
    `\nnode ${process.version}, ${process.arch}, peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  process.exit(failed ? 1 : 0);
}

void main();
