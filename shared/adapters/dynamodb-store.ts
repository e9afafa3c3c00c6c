import { createHash } from 'node:crypto';
import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  BatchChanges,
  BatchContext,
  CommentStore,
  CommitResult,
  ContextRequest,
  KpiStore,
  OnceStore,
  OpenItemStore,
  StoredComment,
  Versioned,
} from '../core/ports.ts';
import { DependencyError } from '../domain/errors.ts';
import { addCounters, type Counters } from '../domain/kpi.ts';
import type { Member } from '../domain/members.ts';
import { type OutboxEntry, outboxId } from '../domain/outbox.ts';
import type { ThreadEntry, ThreadItem } from '../domain/threads.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/**
 * Daily counters (KPIs and member activity) and the open-items index are spread over this many
 * partition keys per community, so that one busy community never funnels its writes into a single
 * partition; reads query each shard and add them up.
 */
export const SHARDS = 8;
/** DynamoDB's limit on actions in one transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;
/** Member activity is kept this much longer than comments, so 30-day windows stay computable. */
const MEMBER_DAYS_EXTRA_RETENTION = 31;
/** Sorts after every ISO timestamp: an open item with nothing more to escalate. */
const NOTHING_DUE = '~';

const key = {
  comment: (community: string, commentId: string) => ({
    pk: `COMMENT#${community}#${commentId}`,
    sk: 'COMMENT',
  }),
  event: (community: string, eventKey: string) => ({ pk: `EVENT#${community}#${eventKey}`, sk: 'EVENT' }),
  member: (community: string, memberKey: string) => ({
    pk: `MEMBER#${community}#${memberKey}`,
    sk: 'MEMBER',
  }),
  entry: (community: string, threadId: string, commentId: string) => ({
    pk: `THREAD#${community}#${threadId}`,
    sk: `ENTRY#${commentId}`,
  }),
  /** Written by every batch that changes the thread: two batches planned on the same reading of it conflict. */
  threadHead: (community: string, threadId: string) => ({
    pk: `THREAD#${community}#${threadId}`,
    sk: 'HEAD',
  }),
  open: (community: string, item: ThreadItem) => ({
    pk: `OPEN#${community}#${shardOf(item.commentId)}`,
    sk: `${nextActionAt(item)}#${item.commentId}`,
  }),
  kpi: (community: string, shard: number, day: string) => ({
    pk: `KPI#${community}#${shard}`,
    sk: `DAY#${day}`,
  }),
  memberDay: (community: string, shard: number, day: string) => ({
    pk: `MEMBERDAY#${community}#${shard}`,
    sk: `DAY#${day}`,
  }),
  once: (name: string) => ({ pk: `ONCE#${name}`, sk: 'ONCE' }),
};

function nextActionAt(item: ThreadItem): string {
  if (item.escalationLevel === 0) return item.dueAt;
  if (item.escalationLevel === 1) return item.escalateAgainAt;
  return NOTHING_DUE;
}

export interface DynamoStoreOptions {
  tableName: string;
  /** Days raw comments, thread entries and member records are kept (TTL); KPI counters are kept. */
  retentionDays: number;
  now?: () => Date;
}

/**
 * One table, single-table design. Every batch is one transaction: comments, members and thread
 * entries are written with a condition on the version they were read at, counters with ADD; if
 * anything changed in between, the caller reads again and re-plans.
 */
export class DynamoCommentStore implements CommentStore, KpiStore, OnceStore, OpenItemStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly options: DynamoStoreOptions,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  async loadContext(community: string, request: ContextRequest): Promise<BatchContext> {
    const [commentItems, events, members] = await Promise.all([
      this.batchGet(request.commentIds.map((id) => key.comment(community, id))),
      this.batchGet(request.eventKeys.map((k) => key.event(community, k))),
      this.batchGet(request.memberKeys.map((k) => key.member(community, k))),
    ]);
    // A comment deleted before its creation arrived is a tombstone in the comment's own place.
    const tombstones = commentItems.filter(isTombstone);
    const stored = commentItems.filter((i) => !isTombstone(i)).map(commentFromItem);
    // An edit or delete may name no thread, or another one: the stored comment's thread counts too.
    const threadIds = new Set([...request.threadIds, ...stored.map((c) => c.comment.threadId)]);
    const threads = await Promise.all(
      [...threadIds].map(async (id) => [id, await this.thread(community, id)] as const),
    );
    return {
      comments: new Map(stored.map((c) => [c.comment.id, c])),
      tombstones: new Set(tombstones.map((i) => String(i.commentId))),
      seenEvents: new Set(events.map((i) => String(i.pk).slice(`EVENT#${community}#`.length))),
      members: new Map(members.map((i) => [String(i.key), memberFromItem(i)])),
      threads: new Map(threads.map(([id, t]) => [id, t.entries])),
      threadVersions: new Map(
        threads.filter(([, t]) => t.version !== undefined).map(([id, t]) => [id, t.version as number]),
      ),
    };
  }

  async commit(community: string, changes: BatchChanges): Promise<CommitResult> {
    const items = this.transactItems(community, changes);
    if (items.length === 0) return 'committed';
    if (items.length > MAX_TRANSACTION_ACTIONS) return 'too-large';
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return 'committed';
    } catch (error) {
      // Only a failed condition or a clash with another transaction is worth reading and planning again.
      const reasons = cancellationCodes(error);
      if (reasons?.every((code) => !code || RETRYABLE_CANCELLATIONS.has(code))) return 'conflict';
      throw new DependencyError(
        `DynamoDB transaction failed${reasons ? ` (${reasons.filter(Boolean).join(', ')})` : ''}`,
        {
          cause: error,
        },
      );
    }
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
    return result.Item && !isTombstone(result.Item) ? commentFromItem(result.Item) : undefined;
  }

  async members(community: string, memberKeys: readonly string[]): Promise<Member[]> {
    return (await this.batchGet(memberKeys.map((k) => key.member(community, k)))).map(memberFromItem);
  }

  async comments(community: string, commentIds: readonly string[]): Promise<StoredComment[]> {
    return (await this.batchGet(commentIds.map((id) => key.comment(community, id))))
      .filter((i) => !isTombstone(i))
      .map(commentFromItem);
  }

  async readDays(community: string, from: string, to: string): Promise<Map<string, Counters>> {
    return this.readDailyCounters((shard) => key.kpi(community, shard, from).pk, from, to);
  }

  /** Member activity per day: `n:<member>`, `h:<member>`, `f:<member>` counts. */
  async readMemberDays(community: string, from: string, to: string): Promise<Map<string, Counters>> {
    return this.readDailyCounters((shard) => key.memberDay(community, shard, from).pk, from, to);
  }

  /** Open items whose next escalation is due at or before `now`. */
  async dueItems(community: string, now: Date): Promise<ThreadItem[]> {
    return this.openMarkers(community, { upTo: now.toISOString() });
  }

  /** Every item still waiting for a brand reply, oldest first. */
  async openItems(community: string): Promise<ThreadItem[]> {
    const items = await this.openMarkers(community, {});
    return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async threadItem(community: string, threadId: string, commentId: string): Promise<ThreadItem | undefined> {
    const result = await this.call(() =>
      this.doc.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: key.entry(community, threadId, commentId),
          ConsistentRead: true,
        }),
      ),
    );
    const entry = result.Item ? entryFromItem(result.Item) : undefined;
    return entry?.kind === 'item' ? entry : undefined;
  }

  async recordOnce(name: string, entry: OutboxEntry, expiresAt: Date): Promise<'recorded' | 'done'> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...key.once(name), kind: 'once', outbox: [entry], expiresAt: epoch(expiresAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'recorded';
    } catch (error) {
      if ((error as Error)?.name === 'ConditionalCheckFailedException') return 'done';
      throw new DependencyError('DynamoDB request failed', { cause: error });
    }
  }

  private transactItems(community: string, changes: BatchChanges): TransactItem[] {
    const table = this.options.tableName;
    const items: TransactItem[] = [];
    const put = (item: Item, previousVersion: number | undefined): TransactItem => ({
      Put: {
        TableName: table,
        Item: item,
        ...(previousVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previousVersion } }),
      },
    });
    for (const write of changes.comments) {
      const item = this.commentItem(community, write.next);
      items.push(
        changes.overTombstones.has(write.next.comment.id)
          ? {
              Put: {
                TableName: table,
                Item: item,
                ConditionExpression: 'kind = :tombstone',
                ExpressionAttributeValues: { ':tombstone': 'tombstone' },
              },
            }
          : put(item, write.previous?.version),
      );
    }
    for (const eventKey of changes.eventKeys) {
      items.push(put({ ...key.event(community, eventKey), expiresAt: this.expiresAt(0) }, undefined));
    }
    for (const write of changes.members) {
      items.push(put(this.memberItem(community, write.next), write.previous?.version));
    }
    for (const write of changes.threadEntries) {
      items.push(put(this.entryItem(community, write.next), write.previous?.version));
      items.push(...this.openMarkerWrites(community, write));
    }
    for (const [threadId, version] of changes.threads) {
      const head = {
        ...key.threadHead(community, threadId),
        version: (version ?? 0) + 1,
        expiresAt: this.expiresAt(0),
      };
      items.push(put(head, version));
    }
    // In the comment's own key, so a creation racing the deletion conflicts with it.
    for (const commentId of changes.tombstones) {
      items.push(
        put(
          {
            ...key.comment(community, commentId),
            kind: 'tombstone',
            commentId,
            expiresAt: this.expiresAt(0),
          },
          undefined,
        ),
      );
    }
    const shard = shardOf(
      changes.comments[0]?.next.comment.id ?? changes.threadEntries[0]?.next.commentId ?? '',
    );
    for (const [day, counters] of changes.counters) {
      const update = this.counterUpdate(key.kpi(community, shard, day), community, day, counters);
      if (update) items.push(update);
    }
    // Member activity is sharded by member, so a member's counts for a day always share one item.
    const byShard = new Map<string, Counters>();
    for (const [day, counts] of changes.memberDays) {
      for (const [name, value] of Object.entries(counts)) {
        const id = `${day}|${shardOf(name.slice(name.indexOf(':') + 1))}`;
        byShard.set(id, { ...(byShard.get(id) ?? {}), [name]: (byShard.get(id)?.[name] ?? 0) + value });
      }
    }
    for (const [id, counts] of byShard) {
      const [day, s] = id.split('|') as [string, string];
      const update = this.counterUpdate(key.memberDay(community, Number(s), day), community, day, counts, {
        expiresAt: this.expiresAt(MEMBER_DAYS_EXTRA_RETENTION),
      });
      if (update) items.push(update);
    }
    return items;
  }

  /** Keeps the open-items index in step with a thread item: moved when its next escalation moves, removed once answered. */
  private openMarkerWrites(community: string, write: Versioned<ThreadEntry>): TransactItem[] {
    const marker = (entry: ThreadEntry | undefined) =>
      entry?.kind === 'item' && entry.status === 'open' ? key.open(community, entry) : undefined;
    const before = marker(write.previous);
    const after = marker(write.next);
    const writes: TransactItem[] = [];
    if (before && (!after || before.sk !== after.sk)) {
      writes.push({ Delete: { TableName: this.options.tableName, Key: before } });
    }
    if (after && write.next.kind === 'item') {
      writes.push({
        Put: {
          TableName: this.options.tableName,
          Item: { ...after, kind: 'open', item: write.next, expiresAt: this.expiresAt(0) },
        },
      });
    }
    return writes;
  }

  private counterUpdate(
    itemKey: { pk: string; sk: string },
    community: string,
    day: string,
    counters: Counters,
    extra: { expiresAt?: number } = {},
  ): TransactItem | undefined {
    // One top-level attribute per counter (`c:<name>`): ADD works on top-level attributes only.
    const names: Record<string, string> = { '#d': 'day' };
    const values: Record<string, unknown> = { ':community': community, ':day': day };
    const adds: string[] = [];
    for (const [name, value] of Object.entries(counters)) {
      if (value === 0) continue;
      const i = adds.length;
      names[`#n${i}`] = `${COUNTER_PREFIX}${name}`;
      values[`:v${i}`] = value;
      adds.push(`#n${i} :v${i}`);
    }
    if (adds.length === 0) return undefined;
    let set = 'SET community = :community, #d = :day';
    if (extra.expiresAt) {
      set += ', expiresAt = :expiresAt';
      values[':expiresAt'] = extra.expiresAt;
    }
    return {
      Update: {
        TableName: this.options.tableName,
        Key: itemKey,
        UpdateExpression: `${set} ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  private commentItem(community: string, c: StoredComment): Item {
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
      ...(c.outbox.length ? { outbox: c.outbox } : {}),
      expiresAt: this.expiresAt(0),
    };
  }

  private memberItem(community: string, m: Member): Item {
    // The member is forgotten `retentionDays` after their last comment, like their comments.
    return { ...key.member(community, m.key), kind: 'member', ...m, expiresAt: this.expiresAt(0) };
  }

  private entryItem(community: string, e: ThreadEntry): Item {
    return { ...key.entry(community, e.threadId, e.commentId), ...e, expiresAt: this.expiresAt(0) };
  }

  /**
   * A thread's head version, then its entries. The head is read first: a batch that commits in
   * between changes the head too, so this reading's version can only be older and the commit conflicts.
   */
  private async thread(
    community: string,
    threadId: string,
  ): Promise<{ entries: ThreadEntry[]; version?: number }> {
    const head = await this.call(() =>
      this.doc.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: key.threadHead(community, threadId),
          ConsistentRead: true,
        }),
      ),
    );
    const items = await this.queryAll({
      TableName: this.options.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': key.entry(community, threadId, '').pk, ':entry': 'ENTRY#' },
      ConsistentRead: true,
    });
    return {
      entries: items.map(entryFromItem),
      ...(head.Item ? { version: head.Item.version as number } : {}),
    };
  }

  private async openMarkers(community: string, range: { upTo?: string }): Promise<ThreadItem[]> {
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        this.queryAll({
          TableName: this.options.tableName,
          KeyConditionExpression: range.upTo ? 'pk = :pk AND sk <= :upTo' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': `OPEN#${community}#${shard}`,
            ...(range.upTo ? { ':upTo': `${range.upTo}#~` } : {}),
          },
          ConsistentRead: true,
        }),
      ),
    );
    return shards.flat().map((i) => i.item as ThreadItem);
  }

  private async readDailyCounters(pkOf: (shard: number) => string, from: string, to: string) {
    const days = new Map<string, Counters>();
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        this.queryAll({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pkOf(shard), ':from': `DAY#${from}`, ':to': `DAY#${to}` },
        }),
      ),
    );
    for (const item of shards.flat()) {
      const day = String(item.sk).slice('DAY#'.length);
      days.set(day, addCounters(days.get(day) ?? {}, countersOf(item)));
    }
    return new Map([...days].sort(([a], [b]) => a.localeCompare(b)));
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.call(() =>
        this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  private async batchGet(keys: { pk: string; sk: string }[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: { pk: string; sk: string }[] | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 0) await sleep(20 * 2 ** attempt);
        if (attempt > 6) throw new DependencyError('DynamoDB kept keys unprocessed');
        const keysNow = pending;
        const result = await this.call(() =>
          this.doc.send(
            new BatchGetCommand({
              RequestItems: { [this.options.tableName]: { Keys: keysNow, ConsistentRead: true } },
            }),
          ),
        );
        found.push(...(result.Responses?.[this.options.tableName] ?? []));
        pending = result.UnprocessedKeys?.[this.options.tableName]?.Keys as
          | { pk: string; sk: string }[]
          | undefined;
      }
    }
    return found;
  }

  private async update(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<void> {
    await this.call(() => this.doc.send(new UpdateCommand({ ...input, TableName: this.options.tableName })));
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  private expiresAt(extraDays: number): number {
    return epoch(this.now()) + (this.options.retentionDays + extraDays) * 86_400;
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

function countersOf(item: Item): Counters {
  const counters: Counters = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(COUNTER_PREFIX) && typeof value === 'number')
      counters[name.slice(COUNTER_PREFIX.length)] = value;
  }
  return counters;
}

function isTombstone(item: Item): boolean {
  return item.kind === 'tombstone';
}

export function commentFromItem(item: Item): StoredComment {
  return {
    comment: item.comment as StoredComment['comment'],
    classification: item.classification as StoredComment['classification'],
    routes: (item.routes ?? []) as StoredComment['routes'],
    day: item.day as string,
    counters: (item.counters ?? {}) as Counters,
    status: item.status as StoredComment['status'],
    version: item.version as number,
    outbox: (item.outbox as OutboxEntry[] | undefined) ?? legacyNotified(item),
  };
}

/** Comments stored before the outbox list the teams they notified: read as entries already owed. */
function legacyNotified(item: Item): OutboxEntry[] {
  const teams = item.notifiedTeams instanceof Set ? [...(item.notifiedTeams as Set<string>)].sort() : [];
  const id = (item.comment as StoredComment['comment']).id;
  return teams.map((team) => ({
    id: outboxId.routed(id, team),
    kind: 'comment.routed',
    at: '',
    team,
    priority: 'normal',
    rule: '',
  }));
}

export function memberFromItem(item: Item): Member {
  const {
    pk: _pk,
    sk: _sk,
    kind: _kind,
    expiresAt: _expiresAt,
    welcomed: _w,
    welcomeClaim: _c,
    ...member
  } = item;
  return member as unknown as Member;
}

export function entryFromItem(item: Item): ThreadEntry {
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...entry } = item;
  return entry as unknown as ThreadEntry;
}

function shardOf(id: string): number {
  return createHash('sha1').update(id).digest().readUInt16BE(0) % SHARDS;
}

function epoch(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

const RETRYABLE_CANCELLATIONS = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict']);

function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (
    !(error instanceof TransactionCanceledException) &&
    (error as Error)?.name !== 'TransactionCanceledException'
  ) {
    return undefined;
  }
  return ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
