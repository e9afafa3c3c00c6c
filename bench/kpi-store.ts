/**
 * Store figures for `npm run bench`: DynamoDB write units per comment, metered from every write
 * the store sends (write-units.ts), and the sustained rate at which the process use case records
 * comments into one community, and into one viral thread, on DynamoDB Local. Each figure is
 * printed with its target (issue 10).
 */
import { performance } from 'node:perf_hooks';
import { ensureTable, localClient, startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { dynamoStores } from '../shared/adapters/dynamodb-stores.ts';
import { createLocalClassifier } from '../shared/classify/local-engine.ts';
import { processCommentEvents } from '../shared/core/process-comments.ts';
import { readKpis } from '../shared/core/read-kpis.ts';
import { localDay } from '../shared/domain/calendar.ts';
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

const TARGETS = { writeUnits: 4.0, community: 300, viralThread: 150 };

/**
 * A realistic mix: 300 members, one comment in five a brand reply to the comment before it. Each
 * member comment starts its own thread, or (`viral`) every comment is in one thread.
 */
function traffic(n: number, options: { viral?: boolean } = {}): CommentEvent[] {
  const start = Date.now() - n * 1000;
  return Array.from({ length: n }, (_, i) => {
    const brand = i % 5 === 4;
    const id = `generic:bench-${i}`;
    const thread = options.viral ? 'generic:viral-post' : brand ? `generic:bench-${i - 1}` : id;
    const parent = brand ? `generic:bench-${i - 1}` : options.viral ? thread : undefined;
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
        ...(parent ? { parentId: parent } : {}),
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

/** Processes the events in batches of 10, `concurrency` batches at once; answers the rate and the failures. */
async function processAll(
  events: CommentEvent[],
  deps: Parameters<typeof processCommentEvents>[1],
  concurrency: number,
): Promise<{ perSecond: number; failed: number; batches: CommentEvent[][] }> {
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
  return { perSecond: events.length / ((performance.now() - started) / 1000), failed, batches };
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
    const store = dynamoStores(client, { tableName: 'bench', retentionDays: 90 }).comments;
    const meter = meterWrites(client);
    const classifier = createLocalClassifier();
    const deps = { config, classifierFor: () => classifier, store };

    const community = await processAll(traffic(total), deps, concurrency);
    const unitsForNew = meter.total();
    const perComment = unitsForNew / total;

    // A redelivery: duplicates are found by reading, so they write nothing.
    meter.reset();
    for (const batch of community.batches.slice(0, 20)) await processCommentEvents(batch, deps);
    const unitsForReplay = meter.total();

    // Every comment in one thread, on a table of its own.
    await ensureTable(client, 'bench-viral');
    const viralStores = dynamoStores(client, { tableName: 'bench-viral', retentionDays: 90 });
    const viralEvents = traffic(total, { viral: true });
    const viral = await processAll(viralEvents, { ...deps, store: viralStores.comments }, concurrency);
    const dayOf = (event: CommentEvent | undefined) =>
      localDay(event?.comment.createdAt ?? '', config.communities[0]?.timezone ?? 'UTC');
    const days = await readKpis(
      { community: 'bench', from: dayOf(viralEvents[0]), to: dayOf(viralEvents.at(-1)) },
      { config, kpis: viralStores.kpis },
    );
    const lost = total - days.totals.comments;

    const failures = (failed: number) => (failed ? `, ${failed} failed` : '');
    return [
      {
        metric: `DynamoDB write units per comment (metered from the writes; ${total} comments, 1 in 5 a brand reply)`,
        value: `${perComment.toFixed(2)} (target ≤ ${TARGETS.writeUnits.toFixed(1)})`,
      },
      {
        metric: 'DynamoDB write units for 200 redelivered comments',
        value: `${unitsForReplay.toFixed(0)} (target 0)`,
      },
      {
        metric: `sustained rate into one community, process use case on DynamoDB Local (${concurrency} batches at once)`,
        value: `${community.perSecond.toFixed(0)} comments/s (target ≥ ${TARGETS.community})${failures(community.failed)}`,
      },
      {
        metric: `sustained rate into one viral thread (every comment in one thread, ${concurrency} batches at once)`,
        value: `${viral.perSecond.toFixed(0)} comments/s (target ≥ ${TARGETS.viralThread}), ${lost === 0 ? 'none lost' : `${lost} lost`}${failures(viral.failed)}`,
      },
    ];
  } finally {
    await dynamo.stop();
  }
}
