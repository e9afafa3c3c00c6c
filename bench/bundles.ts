/**
 * Bundle figures for `npm run bench`: each function's bundle as `cdk synth` builds it, its size,
 * and its cold init in a fresh node process (import, then a first call that needs no AWS service:
 * a request for an unknown source or route, an empty batch). The scheduled functions' first call
 * reads DynamoDB, so only their import is timed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING, PROJECT_ROOT } from '../infra/constructs/service-function.ts';
import { exampleConfig } from '../test/infra/synth.ts';
import { synthesizeBundles } from '../test/support/function-bundles.ts';
import type { BenchRow } from './classify.ts';

/** The issue's targets for the ingest function, the one on the webhook's critical path. */
const INGEST_TARGET = { kilobytes: 300, initMs: 150 };
const RUNS = 5;

function httpEvent(method: string, path: string, pathParameters: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters,
    requestContext: { http: { method, path, sourceIp: '127.0.0.1' }, requestId: 'bench', timeEpoch: 0 },
    body: '{}',
    isBase64Encoded: false,
  };
}

const FIRST_CALLS: Record<string, unknown> = {
  'ingest-webhook': httpEvent('POST', '/webhooks/no-such-source', { source: 'no-such-source' }),
  'read-api': httpEvent('GET', '/no-such-route'),
  'process-comments': { Records: [] },
  'dispatch-outbox': { Records: [] },
};

/** Runs in a fresh node: times the import and the first call, prints them as JSON. */
const PROBE = `
const [file, event] = [process.argv[1], process.argv[2]];
const t0 = performance.now();
const module = await import(file);
const t1 = performance.now();
if (event) await module.handler(JSON.parse(event), { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 10000 });
const t2 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1 }));
`;

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Median of RUNS fresh node processes: import the bundle, make the first call. */
function coldInit(file: string, event: unknown, env: NodeJS.ProcessEnv): number {
  const runs = Array.from({ length: RUNS }, () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', PROBE, file, ...(event ? [JSON.stringify(event)] : [])],
      { env, encoding: 'utf8' },
    );
    return JSON.parse(out.trim().split('\n').pop() as string) as { importMs: number; firstCallMs: number };
  });
  return median(runs.map((r) => r.importMs + r.firstCallMs));
}

/**
 * The alternative to the bundled SDK: the same ingest bundle with `@aws-sdk/*` and `@smithy/*`
 * left out, as Lambda's runtime would provide them (unbundled files from node_modules, which is
 * what the runtime's copy is too). Built next to node_modules so the imports resolve.
 */
async function withRuntimeSdk(event: unknown, env: NodeJS.ProcessEnv): Promise<BenchRow> {
  const file = join(PROJECT_ROOT, 'node_modules', '.cache', 'bench-ingest-runtime-sdk.mjs');
  const { banner, ...settings } = FUNCTION_BUNDLING;
  await build({
    ...settings,
    entryPoints: [join(PROJECT_ROOT, 'functions/ingest-webhook/handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    banner: { js: banner },
    external: ['@aws-sdk/*', '@smithy/*'],
    define: { __AUTOPILOT_CONFIG__: JSON.stringify(JSON.stringify(exampleConfig())) },
    outfile: file,
    logLevel: 'error',
  });
  try {
    return {
      metric: 'ingest-webhook with the SDK left to the runtime (unbundled): bundle size, cold init',
      value: `${(statSync(file).size / 1024).toFixed(0)} KB, ${coldInit(file, event, env).toFixed(0)} ms`,
    };
  } finally {
    rmSync(file, { force: true });
  }
}

export async function benchBundles(): Promise<BenchRow[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'autopilot-bench-bundles-'));
  try {
    const rows: BenchRow[] = [];
    for (const bundle of synthesizeBundles(exampleConfig(), outdir)) {
      const event = FIRST_CALLS[bundle.name];
      const env = {
        ...process.env,
        ...bundle.environment,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        // Powertools and the tracer stay quiet and local: no X-Ray daemon here.
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        POWERTOOLS_TRACE_ENABLED: 'false',
        NODE_OPTIONS: '',
      };
      const init = coldInit(bundle.file, event, env);
      const kilobytes = bundle.bytes / 1024;
      const target =
        bundle.name === 'ingest-webhook'
          ? ` (target < ${INGEST_TARGET.kilobytes} KB, < ${INGEST_TARGET.initMs} ms)`
          : '';
      rows.push({
        metric: `${bundle.name}: bundle size, cold init (${event ? 'import + first call' : 'import'}, median of ${RUNS})${target}`,
        value: `${kilobytes.toFixed(0)} KB, ${init.toFixed(0)} ms`,
      });
      if (bundle.name === 'ingest-webhook') rows.push(await withRuntimeSdk(event, env));
    }
    return rows;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
