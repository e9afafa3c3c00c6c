/**
 * Store figures for `npm run bench`: DynamoDB write units per comment as DynamoDB reports them
 * (ReturnConsumedCapacity on every write, summed — counted, not estimated) and the sustained rate
 * the process use case records comments into one community, on DynamoDB Local.
 */
import { performance } from 'node:perf_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localClient, startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { DynamoCommentStore } from '../shared/adapters/dynamodb-store.ts';
import { createLocalClassifier } from '../shared/classify/local-engine.ts';
import { processCommentEvents } from '../shared/core/process-comments.ts';
import type { CommentEvent } from '../shared/domain/comment.ts';
import { benchConfig } from './bench-config.ts';
import type { BenchRow } from './classify.ts';
import { meterWrites } from './write-units.ts';

const config = benchConfig;

const TEXTS = [
  'Bonjour, pourquoi ma commande n’est toujours pas arrivée ?',
  'Super vélo, merci à toute l’équipe !',
  'Il faudrait une option pour choisir la couleur.',
  'How do I reset the display after changing the battery?',
  'The brake lever broke after two weeks, really disappointed.',
];

/** A realistic mix: 300 members, one comment in five a brand reply to the comment before it. */
function traffic(n: number): CommentEvent[] {
  const start = Date.now() - n * 1000;
  return Array.from({ length: n }, (_, i) => {
    const brand = i % 5 === 4;
    const id = `generic:bench-${i}`;
    const thread = brand ? `generic:bench-${i - 1}` : id;
    return {
      version: 1,
      kind: 'created',
      dedupeKey: `${id}#created`,
      receivedAt: new Date().toISOString(),
      comment: {
        id,
        platformId: `bench-${i}`,
        source: 'generic',
        platform: 'generic',
        community: 'bench',
        threadId: thread,
        ...(brand ? { parentId: thread } : {}),
        author: {
          id: brand ? 'brand' : `member-${i % 300}`,
          name: 'Member',
          isBrand: brand,
          isAutomated: false,
        },
        text: TEXTS[i % TEXTS.length] as string,
        createdAt: new Date(start + i * 1000).toISOString(),
      },
    };
  });
}

export async function benchKpiStore(
  options: { comments?: number; concurrency?: number } = {},
): Promise<BenchRow[]> {
  const total = options.comments ?? 2000;
  const concurrency = options.concurrency ?? 4;
  const dynamo = await startDynamoDbLocal();
  try {
    const client = localClient(dynamo.endpoint);
    await ensureTable(client, 'bench');
    const store = new DynamoCommentStore(client, { tableName: 'bench', retentionDays: 90 });
    const meter = meterWrites((store as unknown as { doc: DynamoDBDocumentClient }).doc);
    const classifier = createLocalClassifier();
    const deps = {
      config,
      classifierFor: () => classifier,
      store,
    };
    const events = traffic(total);
    const batches: CommentEvent[][] = [];
    for (let i = 0; i < events.length; i += 10) batches.push(events.slice(i, i + 10));

    const started = performance.now();
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batches.length) {
          const batch = batches[next++] as CommentEvent[];
          failed += (await processCommentEvents(batch, deps)).failed.length;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const unitsForNew = meter.total();

    // A redelivery: duplicates are found by reading, so they write nothing.
    meter.reset();
    for (const batch of batches.slice(0, 20)) await processCommentEvents(batch, deps);
    const unitsForReplay = meter.total();

    return [
      {
        metric: `DynamoDB write units per comment (metered from the writes; ${total} comments, 1 in 5 a brand reply)`,
        value: (unitsForNew / total).toFixed(2),
      },
      { metric: 'DynamoDB write units for 200 redelivered comments', value: unitsForReplay.toFixed(0) },
      {
        metric: `sustained rate into one community, process use case on DynamoDB Local (${concurrency} batches at once)`,
        value: `${(total / seconds).toFixed(0)} comments/s${failed ? ` (${failed} failed)` : ''}`,
      },
    ];
  } finally {
    await dynamo.stop();
  }
}
