import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { itemSize } from '../../bench/write-units.ts';
import { ensureTable, localClient } from '../../infra/local/dynamodb-local.ts';
import { CLAIM_LEASE_MS } from '../../shared/adapters/dynamodb-comment-store.ts';
import { type DynamoStores, dynamoStores } from '../../shared/adapters/dynamodb-stores.ts';
import { contextRequest, planBatch } from '../../shared/core/plan-batch.ts';
import { processCommentEvents } from '../../shared/core/process-comments.ts';
import { readKpis } from '../../shared/core/read-kpis.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import { commentEvent, KeywordClassifier, testConfig } from '../support/builders.ts';

/** How a batch commits on DynamoDB Local: claims, the batch record, and what a crash between them leaves. */
const config = testConfig();
const community = config.communities[0] as (typeof config.communities)[number];
const classifier = new KeywordClassifier();
const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;

/** A table, and a client whose writes can be made to die the way a killed process leaves them. */
async function table() {
  const client = localClient(inject('dynamoEndpoint'));
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  const faults = { dead: false, writes: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TransactItems?: unknown; Item?: { status?: unknown } };
      const write = [
        'PutItemCommand',
        'TransactWriteItemsCommand',
        'UpdateItemCommand',
        'DeleteItemCommand',
        'BatchWriteItemCommand',
      ].includes(context.commandName ?? '');
      if (write) faults.writes += 1;
      // Dead after its claims: neither its commit nor its abort is ever sent.
      if (
        faults.dead &&
        (input.TransactItems ||
          (context.commandName === 'PutItemCommand' && JSON.stringify(input.Item).includes('"aborted"')))
      )
        throw Object.assign(new Error('killed'), { name: 'ProcessKilled' });
      return next(args);
    },
    { step: 'initialize', name: 'faults' },
  );
  return { client, tableName, faults, store: (now?: () => Date) => storeOn(client, tableName, now) };
}

function storeOn(client: DynamoDBClient, tableName: string, now?: () => Date): DynamoStores {
  return dynamoStores(client, { tableName, retentionDays: 90, ...(now ? { now } : {}) });
}

const totals = async (stores: DynamoStores) =>
  (await readKpis({ community: 'velo', from: '2026-11-20', to: '2026-11-20' }, { config, kpis: stores.kpis }))
    .totals;

const deps = (stores: DynamoStores) => ({ config, classifierFor: () => classifier, store: stores.comments });

describe('committing a batch on DynamoDB Local', () => {
  it('counts nothing of a batch that died after its claims, and everything once when it is delivered again', async () => {
    const { faults, store } = await table();
    const events = [
      commentEvent({ id: 'q1', author: 'm-1', text: 'Quel délai ?', createdAt: at('08:00') }),
      commentEvent({
        id: 'r1',
        author: 'brand-1',
        text: 'Deux jours.',
        createdAt: at('08:10'),
        threadId: 'q1',
      }),
    ];
    faults.dead = true;
    const died = await processCommentEvents(events, deps(store()));
    faults.dead = false;

    expect(died.failed).toHaveLength(2);
    expect(await totals(store())).toMatchObject({ comments: 0, needsReply: 0 });
    expect(await store().comments.get('velo', 'generic:q1')).toBeUndefined();

    // The redelivery comes after the lease: it aborts the dead batch and claims its keys again.
    const later = store(() => new Date(Date.now() + CLAIM_LEASE_MS + 1000));
    const replay = await processCommentEvents(structuredClone(events), deps(later));

    expect(replay).toMatchObject({ failed: [], recorded: 2 });
    expect(await totals(later)).toMatchObject({
      comments: 2,
      memberComments: 1,
      brandReplies: 1,
      needsReply: 1,
      answered: 1,
      firstTimePosters: 1,
    });
    expect((await later.comments.get('velo', 'generic:q1'))?.status).toBe('active');
    expect(await later.items.openItems('velo')).toEqual([]);
  });

  it('leaves the keys of a batch that may still be running to it', async () => {
    const { faults, store } = await table();
    const event = commentEvent({ id: 'held', text: 'Une question ?' });
    faults.dead = true;
    await processCommentEvents([event], deps(store()));
    faults.dead = false;

    // Within the lease the claims' batch may yet commit: planning again is all a second batch can do.
    const soon = store();
    const plan = planBatch(
      [{ event, classification: (await classifier.classify([{ text: event.comment.text }]))[0] }],
      await soon.comments.loadContext('velo', contextRequest([event])),
      community,
      config,
      at('12:00'),
    );

    expect(await soon.comments.commit('velo', plan.changes)).toBe('conflict');
    expect(await totals(soon)).toMatchObject({ comments: 0 });
  });

  it('writes nothing when a committed batch is delivered again', async () => {
    const { faults, store } = await table();
    const events = [
      commentEvent({ id: 'a', author: 'm-1', text: 'Où est ma commande ?' }),
      commentEvent({ id: 'b', author: 'brand-1', text: 'En route.', threadId: 'a', createdAt: at('10:30') }),
      commentEvent({ id: 'a', kind: 'edited', author: 'm-1', text: 'Où est ma commande ? Toujours rien.' }),
    ];
    await processCommentEvents(events, deps(store()));
    const before = await totals(store());
    faults.writes = 0;

    const replay = await processCommentEvents(structuredClone(events), deps(store()));

    expect(replay).toMatchObject({ failed: [], recorded: 0, changed: 0 });
    expect(faults.writes).toBe(0);
    expect(await totals(store())).toEqual(before);
  });

  it('loses and doubles nothing when four batches write one thread at once', async () => {
    const thread = (i: number): CommentEvent => {
      const brand = i % 5 === 4;
      return commentEvent({
        id: `v${i}`,
        author: brand ? 'brand-1' : `m-${i % 7}`,
        text: brand ? 'Merci, nous regardons.' : i % 2 ? 'Quelle taille ?' : 'Super vélo',
        createdAt: new Date(Date.parse(at('09:00')) + i * 60_000).toISOString(),
        threadId: 'post',
        parentId: brand ? `v${i - 1}` : 'post',
      });
    };
    const events = Array.from({ length: 60 }, (_, i) => thread(i));
    const batches = Array.from({ length: 6 }, (_, b) => events.slice(b * 10, b * 10 + 10));
    const serial = (await table()).store();
    for (const batch of batches) await processCommentEvents(batch, deps(serial));
    const concurrent = (await table()).store();

    let next = 0;
    const failed: unknown[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++] as CommentEvent[];
          failed.push(...(await processCommentEvents(batch, deps(concurrent))).failed);
        }
      }),
    );

    expect(failed).toEqual([]);
    const day = '2026-11-20';
    expect(await concurrent.kpis.readDays('velo', day, day)).toEqual(
      await serial.kpis.readDays('velo', day, day),
    );
    expect(await concurrent.kpis.readMemberDays('velo', day, day)).toEqual(
      await serial.kpis.readMemberDays('velo', day, day),
    );
    expect((await totals(concurrent)).comments).toBe(60);
  });

  it('keeps an ordinary comment item under 1 KB', async () => {
    const { client, tableName, store } = await table();
    const event = commentEvent({
      id: 'sized',
      author: 'm-1',
      text: 'Bonjour, pourquoi ma commande n’est toujours pas arrivée ? Elle devait arriver mardi.',
    });
    await processCommentEvents([event], deps(store()));

    const { Item } = await DynamoDBDocumentClient.from(client).send(
      new GetCommand({ TableName: tableName, Key: { pk: 'COMMENT#velo#generic:sized', sk: 'COMMENT' } }),
    );

    expect(Item).toBeDefined();
    expect(itemSize(Item ?? {})).toBeLessThan(1024);
  });
});
