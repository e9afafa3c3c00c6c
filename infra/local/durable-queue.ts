import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { fitForQueue } from '../../shared/adapters/sqs-queue.ts';
import type { CommentQueue } from '../../shared/core/ports.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import { DependencyError } from '../../shared/domain/errors.ts';

/**
 * The local runtime's queue, kept in DynamoDB Local (so on disk, under the data dir): a message is
 * written, and DynamoDB Local has committed it to its SQLite file, before the webhook is answered
 * 202, so a SIGKILL at any moment loses nothing that was acknowledged. It behaves as SQS does for
 * Lambda's event source mapping: a received message is leased for the visibility timeout, deleted
 * once processed, received again when its lease runs out (or at once when the process that held the
 * lease died: see `reclaimLeases`), and moved to the dead-letter queue after `maxReceiveCount`
 * receives. Delivery is at least once; the process function's dedupe makes counting exactly once.
 *
 * One item per message in its own table: `pk` = queue name, `sk` = `<visible at, epoch ms>#<id>`.
 * The sort key is the time the message may next be received, so a receive is one Query for
 * `sk <= now` and a lease moves the item to a later key (delete + put in one transaction).
 */
export interface LocalQueueOptions {
  tableName: string;
  name: string;
  /** How long a received message stays invisible (SQS VisibilityTimeout). @default 30 s */
  visibilityTimeoutMs?: number;
  /** Receives before a message is moved to `<name>-dlq` (SQS maxReceiveCount). @default 5 */
  maxReceiveCount?: number;
  /** Told of each message moved to the dead-letter queue. */
  onDeadLetter?: (message: { id: string; receiveCount: number }) => void;
  now?: () => number;
}

export interface OutgoingMessage {
  body: string;
  attributes?: Record<string, string>;
}

export interface ReceivedMessage {
  id: string;
  body: string;
  attributes: Record<string, string>;
  sentAt: number;
  firstReceivedAt: number;
  receiveCount: number;
  /** Deletes this receipt of the message (stale once its lease has run out and it was received again). */
  receipt: string;
}

interface QueueItem {
  pk: string;
  sk: string;
  id: string;
  body: string;
  attributes: Record<string, string>;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
}

type WriteRequest =
  | { PutRequest: { Item: QueueItem } }
  | { DeleteRequest: { Key: { pk: string; sk: string } } };

const WRITE_BATCH = 25; // BatchWriteItem limit
const WRITE_ATTEMPTS = 5;
/** Items per lease transaction: each message is a delete and a put, TransactWriteItems takes 100. */
const MOVE_BATCH = 50;
const key = (at: number, id: string) => `${String(at).padStart(15, '0')}#${id}`;
/** Sorts after every `<at>#<id>` key of that millisecond (ids are UUIDs: hex digits and dashes). */
const upTo = (at: number) => `${String(at).padStart(15, '0')}#~`;

export class LocalQueue {
  readonly name: string;
  readonly deadLetterName: string;
  readonly arn: string;
  private readonly doc: DynamoDBDocumentClient;
  private readonly visibilityMs: number;
  private readonly maxReceives: number;
  private readonly now: () => number;
  private readonly sent = new EventEmitter();
  /** Receives run one at a time, so two local pollers never lease the same message. */
  private receiving: Promise<unknown> = Promise.resolve();

  constructor(
    client: DynamoDBClient,
    private readonly options: LocalQueueOptions,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.name = options.name;
    this.deadLetterName = `${options.name}-dlq`;
    this.arn = `arn:aws:sqs:local:000000000000:${options.name}`;
    this.visibilityMs = options.visibilityTimeoutMs ?? 30_000;
    this.maxReceives = options.maxReceiveCount ?? 5;
    this.now = options.now ?? Date.now;
    this.sent.setMaxListeners(0);
  }

  /** Resolves once every message is stored; throws DependencyError if some could not be. */
  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    const at = this.now();
    const items: QueueItem[] = messages.map((m) => {
      const id = randomUUID();
      return {
        pk: this.name,
        sk: key(at, id),
        id,
        body: m.body,
        attributes: m.attributes ?? {},
        sentAt: at,
        receiveCount: 0,
      };
    });
    for (let i = 0; i < items.length; i += WRITE_BATCH) {
      await this.write(items.slice(i, i + WRITE_BATCH).map((Item) => ({ PutRequest: { Item } })));
    }
    this.sent.emit('sent');
  }

  /** Up to `max` visible messages, each leased for the visibility timeout and counted as one receive. */
  receive(max: number): Promise<ReceivedMessage[]> {
    const next = this.receiving.then(() => this.leaseVisible(max));
    this.receiving = next.catch(() => {});
    return next;
  }

  /** Deletes processed messages by their receipts (a stale receipt deletes nothing, as in SQS). */
  async delete(receipts: readonly string[]): Promise<void> {
    for (let i = 0; i < receipts.length; i += WRITE_BATCH) {
      await this.write(
        receipts.slice(i, i + WRITE_BATCH).map((sk) => ({ DeleteRequest: { Key: { pk: this.name, sk } } })),
      );
    }
  }

  /**
   * Makes every leased message visible now. Called at start-up, when the data-dir lock guarantees
   * that whoever held those leases is dead: its messages need not wait out the visibility timeout.
   */
  async reclaimLeases(): Promise<number> {
    const now = this.now();
    const leased = await this.queryAll({
      KeyConditionExpression: 'pk = :q AND sk > :now',
      ExpressionAttributeValues: { ':q': this.name, ':now': upTo(now) },
    });
    for (let i = 0; i < leased.length; i += MOVE_BATCH) {
      await this.move(
        leased.slice(i, i + MOVE_BATCH).map((item) => ({ item, to: { ...item, sk: key(now, item.id) } })),
      );
    }
    if (leased.length) this.sent.emit('sent');
    return leased.length;
  }

  /** Messages waiting (visible), in flight (leased, or waiting out a failed attempt), and dead-lettered. */
  async depth(): Promise<{ visible: number; leased: number; dead: number }> {
    const now = this.now();
    const [all, visible, dead] = await Promise.all([
      this.count({ KeyConditionExpression: 'pk = :q', ExpressionAttributeValues: { ':q': this.name } }),
      this.count({
        KeyConditionExpression: 'pk = :q AND sk <= :now',
        ExpressionAttributeValues: { ':q': this.name, ':now': upTo(now) },
      }),
      this.count({
        KeyConditionExpression: 'pk = :q',
        ExpressionAttributeValues: { ':q': this.deadLetterName },
      }),
    ]);
    return { visible, leased: all - visible, dead };
  }

  /** Resolves at the next send (or reclaim), or after `ms`: a receive loop's long poll. */
  waitForMessages(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sent.off('sent', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sent.once('sent', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private async leaseVisible(max: number): Promise<ReceivedMessage[]> {
    const now = this.now();
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :q AND sk <= :now',
        ExpressionAttributeValues: { ':q': this.name, ':now': upTo(now) },
        Limit: Math.min(max, MOVE_BATCH), // one lease transaction: a larger receive returns fewer
        ConsistentRead: true,
      }),
    );
    const items = (result.Items ?? []) as QueueItem[];
    if (!items.length) return [];
    const moves = items.map((item) =>
      item.receiveCount >= this.maxReceives
        ? { item, to: { ...item, pk: this.deadLetterName, sk: key(now, item.id) } }
        : {
            item,
            to: {
              ...item,
              sk: key(now + this.visibilityMs, item.id),
              receiveCount: item.receiveCount + 1,
              firstReceivedAt: item.firstReceivedAt ?? now,
            },
          },
    );
    try {
      await this.move(moves);
    } catch (error) {
      // A message deleted (or re-leased) between the query and the lease: query again next time.
      if (error instanceof TransactionCanceledException) return [];
      throw error;
    }
    for (const { to } of moves) {
      if (to.pk === this.deadLetterName)
        this.options.onDeadLetter?.({ id: to.id, receiveCount: to.receiveCount });
    }
    return moves
      .filter(({ to }) => to.pk === this.name)
      .map(({ to }) => ({
        id: to.id,
        body: to.body,
        attributes: to.attributes,
        sentAt: to.sentAt,
        firstReceivedAt: to.firstReceivedAt ?? now,
        receiveCount: to.receiveCount,
        receipt: to.sk,
      }));
  }

  /** Moves items to new keys, all or none: the old key must still exist (no one deleted it meanwhile). */
  private async move(moves: { item: QueueItem; to: QueueItem }[]): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: moves.flatMap(({ item, to }) => [
          {
            Delete: {
              TableName: this.options.tableName,
              Key: { pk: item.pk, sk: item.sk },
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          { Put: { TableName: this.options.tableName, Item: to } },
        ]),
      }),
    );
  }

  private async write(requests: WriteRequest[]): Promise<void> {
    let pending = requests;
    for (let attempt = 0; attempt < WRITE_ATTEMPTS && pending.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      try {
        const result = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.options.tableName]: pending } }),
        );
        pending = (result.UnprocessedItems?.[this.options.tableName] ?? []) as WriteRequest[];
      } catch (cause) {
        if (attempt === WRITE_ATTEMPTS - 1)
          throw new DependencyError(`the local queue ${this.name} is not writable`, { cause });
      }
    }
    if (pending.length)
      throw new DependencyError(
        `${pending.length} writes to the local queue ${this.name} were not processed`,
      );
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<QueueItem[]> {
    const items: QueueItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.options.tableName,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((page.Items ?? []) as QueueItem[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async count(input: Omit<QueryCommandInput, 'TableName'>): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          ...input,
          TableName: this.options.tableName,
          Select: 'COUNT',
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return total;
  }
}

/**
 * The CommentQueue port on the local queue: the same message bodies and attributes the SQS adapter
 * sends (one message per comment event, cut to fit exactly as for SQS).
 */
export class DurableCommentQueue implements CommentQueue {
  constructor(private readonly queue: LocalQueue) {}

  async enqueue(events: readonly CommentEvent[]): Promise<void> {
    await this.queue.send(
      events.map((event) => {
        const { event: fitted, body } = fitForQueue(event);
        return {
          body,
          attributes: { community: fitted.comment.community, source: fitted.comment.source },
        };
      }),
    );
  }
}
