import { createHash } from 'node:crypto';
import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ChangeResult,
  CommentChange,
  CommentStore,
  KpiStore,
  OnceStore,
  RecordResult,
  StoredComment,
} from '../core/ports.ts';
import { DependencyError } from '../domain/errors.ts';
import { addCounters, type Counters } from '../domain/kpi.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Daily KPI counters are spread over this many partition keys so that one busy community never
 * funnels every write into a single partition; reads query each shard and add them up.
 */
export const KPI_SHARDS = 8;
/** Comments per transaction: each brings one Put and at most one counter Update (limit: 100 actions). */
const COMMENTS_PER_TRANSACTION = 40;
const MAX_ATTEMPTS = 6;

const key = {
  comment: (community: string, commentId: string) => ({
    pk: `COMMENT#${community}#${commentId}`,
    sk: 'COMMENT',
  }),
  event: (community: string, eventKey: string) => ({ pk: `EVENT#${community}#${eventKey}`, sk: 'EVENT' }),
  kpi: (community: string, shard: number, day: string) => ({
    pk: `KPI#${community}#${shard}`,
    sk: `DAY#${day}`,
  }),
  once: (name: string) => ({ pk: `ONCE#${name}`, sk: 'ONCE' }),
};

export interface DynamoStoreOptions {
  tableName: string;
  /** Days raw comment text and author names are kept (TTL); KPI counters are kept. */
  retentionDays: number;
  now?: () => Date;
}

/** One table, single-table design: comments, edit/delete markers, KPI counter shards, once-markers. */
export class DynamoCommentStore implements CommentStore, KpiStore, OnceStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly options: DynamoStoreOptions,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  async recordNew(community: string, comments: readonly StoredComment[]): Promise<RecordResult> {
    const unique = new Map<string, StoredComment>();
    const duplicateIds = new Set<string>();
    for (const c of comments) {
      if (unique.has(c.comment.id)) duplicateIds.add(c.comment.id);
      else unique.set(c.comment.id, c);
    }
    const recorded: StoredComment[] = [];
    const all = [...unique.values()];
    for (let i = 0; i < all.length; i += COMMENTS_PER_TRANSACTION) {
      const chunk = all.slice(i, i + COMMENTS_PER_TRANSACTION);
      const outcome = await this.recordChunk(community, chunk);
      recorded.push(...outcome.recorded);
      for (const id of outcome.duplicateIds) duplicateIds.add(id);
    }
    const duplicates: StoredComment[] = [];
    for (const id of duplicateIds) {
      const existing = await this.get(community, id);
      if (existing) duplicates.push(existing);
    }
    return { recorded, duplicates };
  }

  /** Puts each comment only if absent, together with its counters, in one transaction; retries without the ones already stored. */
  private async recordChunk(community: string, chunk: StoredComment[]) {
    let pending = chunk;
    const duplicateIds: string[] = [];
    for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
      const items: TransactItem[] = pending.map((c) => ({
        Put: {
          TableName: this.options.tableName,
          Item: this.commentItem(community, c),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }));
      const byDay = new Map<string, Counters>();
      for (const c of pending) byDay.set(c.day, addCounters(byDay.get(c.day) ?? {}, c.counters));
      const shard = shardOf(pending[0]?.comment.id ?? '');
      for (const [day, counters] of byDay) items.push(this.counterUpdate(community, shard, day, counters));
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { recorded: pending, duplicateIds };
      } catch (error) {
        const reasons = cancellationCodes(error);
        if (!reasons) throw new DependencyError('DynamoDB transaction failed', { cause: error });
        const already = pending.filter((_, i) => reasons[i] === 'ConditionalCheckFailed');
        if (already.length === 0) {
          // Conflict with a concurrent writer (or throttling): back off and try the same items again.
          await sleep(25 * 2 ** attempt + Math.random() * 25);
          continue;
        }
        duplicateIds.push(...already.map((c) => c.comment.id));
        pending = pending.filter((_, i) => reasons[i] !== 'ConditionalCheckFailed');
      }
    }
    if (pending.length > 0)
      throw new DependencyError(`could not record ${pending.length} comments after ${MAX_ATTEMPTS} attempts`);
    return { recorded: [] as StoredComment[], duplicateIds };
  }

  async get(community: string, commentId: string): Promise<StoredComment | undefined> {
    const result = await this.call(() =>
      this.doc.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: key.comment(community, commentId),
          ConsistentRead: true,
        }),
      ),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  }

  async applyChange(community: string, change: CommentChange): Promise<ChangeResult> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.options.tableName,
          Item: { ...key.event(community, change.eventKey), expiresAt: this.expiresAt() },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.options.tableName,
          Item: this.commentItem(community, change.next),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': change.expectedVersion },
        },
      },
    ];
    if (Object.keys(change.delta).length > 0) {
      items.push(
        this.counterUpdate(community, shardOf(change.next.comment.id), change.next.day, change.delta),
      );
    }
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return 'applied';
    } catch (error) {
      const reasons = cancellationCodes(error);
      if (!reasons) throw new DependencyError('DynamoDB transaction failed', { cause: error });
      if (reasons[0] === 'ConditionalCheckFailed') return 'duplicate';
      return 'conflict';
    }
  }

  async markNotified(community: string, commentId: string, teams: readonly string[]): Promise<void> {
    if (teams.length === 0) return;
    await this.call(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: key.comment(community, commentId),
          UpdateExpression: 'ADD notifiedTeams :teams',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':teams': new Set(teams) },
        }),
      ),
    );
  }

  async readDays(community: string, from: string, to: string): Promise<Map<string, Counters>> {
    const days = new Map<string, Counters>();
    await Promise.all(
      Array.from({ length: KPI_SHARDS }, async (_, shard) => {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await this.call(() =>
            this.doc.send(
              new QueryCommand({
                TableName: this.options.tableName,
                KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
                ExpressionAttributeValues: {
                  ':pk': key.kpi(community, shard, from).pk,
                  ':from': `DAY#${from}`,
                  ':to': `DAY#${to}`,
                },
                ExclusiveStartKey: startKey,
              }),
            ),
          );
          for (const item of page.Items ?? []) {
            const day = String(item.sk).slice('DAY#'.length);
            days.set(day, addCounters(days.get(day) ?? {}, countersOf(item)));
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
    );
    return new Map([...days].sort(([a], [b]) => a.localeCompare(b)));
  }

  async wasDone(name: string): Promise<boolean> {
    const result = await this.call(() =>
      this.doc.send(new GetCommand({ TableName: this.options.tableName, Key: key.once(name) })),
    );
    return Boolean(result.Item);
  }

  async markDone(name: string, expiresAt: Date): Promise<void> {
    await this.call(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...key.once(name),
            doneAt: new Date().toISOString(),
            expiresAt: Math.floor(expiresAt.getTime() / 1000),
          },
        }),
      ),
    );
  }

  private counterUpdate(community: string, shard: number, day: string, counters: Counters): TransactItem {
    // One top-level attribute per counter (`c:<name>`): ADD on a nested map path fails while the map does not exist yet.
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':community': community, ':day': day };
    const adds: string[] = [];
    Object.entries(counters).forEach(([name, value], i) => {
      names[`#n${i}`] = `${COUNTER_PREFIX}${name}`;
      values[`:v${i}`] = value;
      adds.push(`#n${i} :v${i}`);
    });
    return {
      Update: {
        TableName: this.options.tableName,
        Key: key.kpi(community, shard, day),
        UpdateExpression: `SET community = :community, #d = :day ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: { ...names, '#d': 'day' },
        ExpressionAttributeValues: values,
      },
    };
  }

  private commentItem(community: string, c: StoredComment): Record<string, unknown> {
    return {
      ...key.comment(community, c.comment.id),
      kind: 'comment',
      community,
      day: c.day,
      status: c.status,
      version: c.version,
      comment: c.comment,
      classification: c.classification,
      routes: c.routes,
      counters: c.counters,
      ...(c.notifiedTeams.length ? { notifiedTeams: new Set(c.notifiedTeams) } : {}),
      expiresAt: this.expiresAt(),
    };
  }

  private expiresAt(): number {
    const now = (this.options.now ?? (() => new Date()))().getTime();
    return Math.floor(now / 1000) + this.options.retentionDays * 86_400;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (cause) {
      throw new DependencyError('DynamoDB request failed', { cause });
    }
  }
}

const COUNTER_PREFIX = 'c:';

function countersOf(item: Record<string, unknown>): Counters {
  const counters: Counters = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(COUNTER_PREFIX) && typeof value === 'number')
      counters[name.slice(COUNTER_PREFIX.length)] = value;
  }
  return counters;
}

function fromItem(item: Record<string, unknown>): StoredComment {
  return {
    comment: item.comment as StoredComment['comment'],
    classification: item.classification as StoredComment['classification'],
    routes: (item.routes ?? []) as StoredComment['routes'],
    day: item.day as string,
    counters: (item.counters ?? {}) as Counters,
    status: item.status as StoredComment['status'],
    version: item.version as number,
    notifiedTeams: item.notifiedTeams instanceof Set ? [...(item.notifiedTeams as Set<string>)].sort() : [],
  };
}

function shardOf(id: string): number {
  return createHash('sha1').update(id).digest().readUInt16BE(0) % KPI_SHARDS;
}

function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (
    error instanceof TransactionCanceledException ||
    (error as Error)?.name === 'TransactionCanceledException'
  ) {
    return ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code);
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
