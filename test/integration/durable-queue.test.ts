import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DurableCommentQueue,
  LocalQueue,
  type LocalQueueOptions,
  type ReceivedMessage,
} from '../../infra/local/durable-queue.ts';
import { ensureTable, localClient, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { fitForQueue } from '../../shared/adapters/sqs-queue.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import { commentEvent } from '../support/builders.ts';

/** The local runtime's durable queue on DynamoDB Local, with a fake clock for every lease. */
const VISIBILITY = 30_000;
const START = 1_790_000_000_000;

let client: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  client = localClient(inject('dynamoEndpoint'));
  tableName = `test-durable-queue-${randomUUID()}`;
  await ensureTable(client, tableName);
});

afterAll(() => client.destroy());

/** A queue of its own (its own pk in this file's table) on a clock that moves only when told. */
function setup(options: Partial<LocalQueueOptions> = {}) {
  const clock = { now: START };
  const deadLetters: { id: string; receiveCount: number }[] = [];
  const queueOptions: LocalQueueOptions = {
    tableName,
    name: `comments-${randomUUID()}`,
    visibilityTimeoutMs: VISIBILITY,
    onDeadLetter: (message) => deadLetters.push(message),
    now: () => clock.now,
    ...options,
  };
  const queue = new LocalQueue(client, queueOptions);
  /** The same queue as another process (a restart) would open it. */
  const reopen = () => new LocalQueue(client, queueOptions);
  return { queue, reopen, clock, deadLetters, name: queueOptions.name };
}

const bodies = (messages: ReceivedMessage[]) => messages.map((m) => m.body).sort();

async function drain(queue: LocalQueue, max: number): Promise<ReceivedMessage[]> {
  const all: ReceivedMessage[] = [];
  for (;;) {
    const batch = await queue.receive(max);
    if (!batch.length) return all;
    all.push(...batch);
  }
}

describe('LocalQueue', () => {
  it('delivers a sent message once and hides it while it is leased', async () => {
    const { queue, clock } = setup();
    await queue.send([{ body: 'hello', attributes: { community: 'velo' } }]);

    const [first, ...others] = await queue.receive(10);
    const again = await queue.receive(10);
    clock.now = START + VISIBILITY - 1;
    const justBeforeTheLeaseEnds = await queue.receive(10);

    expect(others).toEqual([]);
    expect(first).toMatchObject({
      body: 'hello',
      attributes: { community: 'velo' },
      sentAt: START,
      firstReceivedAt: START,
      receiveCount: 1,
    });
    expect(again).toEqual([]);
    expect(justBeforeTheLeaseEnds).toEqual([]);
    expect(await queue.depth()).toEqual({ visible: 0, leased: 1, dead: 0 });
  });

  it('removes a message when its receipt is deleted', async () => {
    const { queue, clock } = setup();
    await queue.send([{ body: 'done' }]);
    const [message] = await queue.receive(10);

    await queue.delete([message?.receipt ?? '']);

    clock.now = START + 10 * VISIBILITY;
    expect(await queue.receive(10)).toEqual([]);
    expect(await queue.depth()).toEqual({ visible: 0, leased: 0, dead: 0 });
  });

  it('delivers a message again, counted, once its lease runs out', async () => {
    const { queue, clock } = setup();
    await queue.send([{ body: 'retry me' }]);
    const [first] = await queue.receive(10);

    clock.now = START + VISIBILITY;
    const [second, ...others] = await queue.receive(10);

    expect(others).toEqual([]);
    expect(second).toMatchObject({
      id: first?.id,
      body: 'retry me',
      receiveCount: 2,
      firstReceivedAt: START,
      sentAt: START,
    });
    expect(second?.receipt).not.toBe(first?.receipt);
  });

  it('moves a message to <name>-dlq after maxReceiveCount receives and reports it', async () => {
    const { queue, clock, deadLetters, name } = setup({ maxReceiveCount: 2 });
    await queue.send([{ body: 'poison' }]);
    const [first] = await queue.receive(10);
    clock.now += VISIBILITY;
    const [second] = await queue.receive(10);
    clock.now += VISIBILITY;

    const third = await queue.receive(10);

    expect([first?.receiveCount, second?.receiveCount]).toEqual([1, 2]);
    expect(third).toEqual([]);
    expect(deadLetters).toEqual([{ id: first?.id, receiveCount: 2 }]);
    expect(queue.deadLetterName).toBe(`${name}-dlq`);
    expect(await queue.depth()).toEqual({ visible: 0, leased: 0, dead: 1 });
    const doc = DynamoDBDocumentClient.from(client);
    const { Items } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :q',
        ExpressionAttributeValues: { ':q': `${name}-dlq` },
      }),
    );
    expect(Items).toEqual([expect.objectContaining({ id: first?.id, body: 'poison', receiveCount: 2 })]);
  });

  it('keeps the newer lease when a stale receipt is deleted', async () => {
    const { queue, clock } = setup();
    await queue.send([{ body: 'slow consumer' }]);
    const [stale] = await queue.receive(10);
    clock.now += VISIBILITY;
    const [current] = await queue.receive(10);

    await queue.delete([stale?.receipt ?? '']);

    expect(await queue.depth()).toEqual({ visible: 0, leased: 1, dead: 0 });
    clock.now += VISIBILITY;
    const [redelivered] = await queue.receive(10);
    expect(redelivered).toMatchObject({ id: current?.id, receiveCount: 3 });
  });

  it('makes the messages a dead process leased receivable at once when leases are reclaimed', async () => {
    const { queue: crashed, reopen } = setup();
    await crashed.send([{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
    const leased = await crashed.receive(2);
    const restarted = reopen();
    const beforeReclaim = await restarted.depth();

    const reclaimed = await restarted.reclaimLeases();
    const after = await restarted.receive(10);

    expect(beforeReclaim).toEqual({ visible: 1, leased: 2, dead: 0 });
    expect(reclaimed).toBe(2);
    // No time has passed: only the reclaim can have made them visible, and it does not count a receive.
    const leasedBodies = leased.map((m) => m.body);
    expect(after.map((m) => [m.body, m.receiveCount]).sort()).toEqual(
      ['a', 'b', 'c'].map((body) => [body, leasedBodies.includes(body) ? 2 : 1]),
    );
  });

  it('reclaims nothing when no message is leased', async () => {
    const { queue } = setup();
    await queue.send([{ body: 'waiting' }]);

    const reclaimed = await queue.reclaimLeases();

    expect(reclaimed).toBe(0);
    expect(await queue.depth()).toEqual({ visible: 1, leased: 0, dead: 0 });
  });

  it('loses nothing that was sent and not deleted when a new instance opens the queue', async () => {
    const { queue: before, reopen } = setup();
    await before.send([{ body: 'processed' }, { body: 'in hand' }, { body: 'waiting' }]);
    const inHand = await before.receive(2);
    const processed = inHand.find((m) => m.body === 'processed') ?? inHand[0];
    await before.delete([processed?.receipt ?? '']);
    const expected = ['in hand', 'processed', 'waiting'].filter((b) => b !== processed?.body);

    const after = reopen();
    await after.reclaimLeases();
    const received = await drain(after, 10);

    expect(bodies(received)).toEqual(expected);
    expect(await after.depth()).toEqual({ visible: 0, leased: 2, dead: 0 });
  });

  it('sends and receives more messages than one write batch or one lease transaction holds', async () => {
    const { queue } = setup();
    const sent = Array.from({ length: 120 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    await queue.send(sent.map((body) => ({ body })));

    const received = await drain(queue, 100);

    expect(bodies(received)).toEqual(sent);
    expect(new Set(received.map((m) => m.id)).size).toBe(120);
  });
});

describe('LocalQueue on a DynamoDB Local that is killed', () => {
  it('keeps every acknowledged message across a SIGKILL and a restart of DynamoDB Local', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'durable-queue-'));
    const options = { tableName: 'queue', name: 'comments', now: () => START };
    try {
      const first = await startDynamoDbLocal({ dataDir });
      const firstClient = localClient(first.endpoint);
      await ensureTable(firstClient, 'queue');
      const queue = new LocalQueue(firstClient, options);
      await queue.send([{ body: 'acknowledged 1' }, { body: 'acknowledged 2' }]);
      // One is in hand when DynamoDB Local dies. Its lease may be lost with it (DynamoDB Local does
      // not always keep a transaction acknowledged just before a SIGKILL): the message is not.
      await queue.receive(1);
      process.kill(-first.pid, 'SIGKILL');
      await first.stop(); // resolves once the killed process has exited
      firstClient.destroy();

      const second = await startDynamoDbLocal({ dataDir });
      const secondClient = localClient(second.endpoint);
      try {
        const restarted = new LocalQueue(secondClient, options);
        await restarted.reclaimLeases();
        const received = await restarted.receive(10);

        expect(bodies(received)).toEqual(['acknowledged 1', 'acknowledged 2']);
      } finally {
        secondClient.destroy();
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000); // two DynamoDB Local starts on files: slow on a busy machine
});

describe('DurableCommentQueue', () => {
  const byId = (events: CommentEvent[]) =>
    [...events].sort((a, b) => a.comment.id.localeCompare(b.comment.id));
  const eventsOf = (messages: ReceivedMessage[]) => messages.map((m) => JSON.parse(m.body) as CommentEvent);

  it('delivers each comment event as one message holding the same event', async () => {
    const { queue } = setup();
    const events = [
      commentEvent({ id: 'q1', text: 'Où est ma commande ? 🚲' }),
      commentEvent({ id: 'q2', text: 'La batterie ne charge plus', kind: 'edited' }),
    ];

    await new DurableCommentQueue(queue).enqueue(events);
    const received = await queue.receive(10);

    expect(byId(eventsOf(received))).toEqual(byId(events));
    expect(received.map((m) => m.attributes)).toEqual([
      { community: 'velo', source: 'generic' },
      { community: 'velo', source: 'generic' },
    ]);
  });

  it('cuts a comment too long for one message and says so, as the SQS adapter does', async () => {
    const { queue } = setup();
    const long = commentEvent({ id: 'long', text: '🚲'.repeat(70_000) });
    const short = commentEvent({ id: 'short' });

    await new DurableCommentQueue(queue).enqueue([long, short]);
    const received = await queue.receive(10);

    const [gotLong, gotShort] = byId(eventsOf(received));
    expect(gotShort).toEqual(short);
    expect(gotLong).toEqual(fitForQueue(long).event);
    expect(gotLong?.comment.text).toMatch(/^(🚲)+… \[cut: too long to queue\]$/u);
    expect(gotLong?.comment.text.length).toBeLessThan(long.comment.text.length);
    const longBody = received.find((m) => m.body.includes('"generic:long"'))?.body ?? '';
    expect(Buffer.byteLength(longBody)).toBeLessThanOrEqual(240 * 1024);
  });
});
