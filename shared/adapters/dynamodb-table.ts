/**
 * The service table (single-table design) as every DynamoDB store reads and writes it: the item
 * layout, the codecs, and the one rule every reader applies (a claimed record is visible only once
 * its batch committed; dynamodb-comment-store.ts says why that makes counting exactly once).
 *
 * | item                | pk                       | sk                       | written                       |
 * | ------------------- | ------------------------ | ------------------------ | ----------------------------- |
 * | comment / tombstone | COMMENT#<c>#<comment id> | COMMENT                  | claimed, or in a commit       |
 * | member              | MEMBER#<c>#<member key>  | MEMBER                   | claimed, or in a commit       |
 * | thread entry        | THREAD#<c>#<thread id>   | ENTRY#<comment id>       | claimed, or in a commit       |
 * | thread marker       | THREAD#<c>#<thread id>   | HEAD                     | before a commit, unstamped    |
 * | open item (index)   | OPEN#<c>#<shard>         | <next action at>#<id>    | claimed, or in a commit       |
 * | KPI counters        | KPI#<c>#<shard>          | DAY#<day>                | ADD, in a commit              |
 * | batch record        | BATCH#<c>#<shard>        | DAY#<day>#<batch id>     | conditional Put (commit/abort)|
 * | once-only record    | ONCE#<name>              | ONCE                     | conditional Put               |
 *
 * (`<c>`: the community.) A comment item keeps only what is read back: the comment, the labels of
 * its classification, its routes, the names of the counters it adds, its outbox and the edit and
 * delete events applied to it; an ordinary comment stays under 1 KB. A thread marker says the
 * thread holds more than its root's entry (which is read by key): threads without one are not
 * queried. Counters and batch records are spread over SHARDS partitions per community (the shard
 * picked per batch); readers query every shard and add up.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { StoredComment } from '../core/ports.ts';
import { keptClassification } from '../domain/classification.ts';
import { DependencyError } from '../domain/errors.ts';
import type { Counters } from '../domain/kpi.ts';
import type { Member } from '../domain/members.ts';
import { type OutboxEntry, outboxId } from '../domain/outbox.ts';
import type { ThreadEntry, ThreadItem } from '../domain/threads.ts';

export type Item = Record<string, unknown>;
export type Key = { pk: string; sk: string };

/** Partition keys per community for the KPI counters, the batch records and the open-items index. */
export const SHARDS = 8;
/** Member activity (in batch records) is kept this much longer than comments, so 30-day windows stay computable. */
export const MEMBER_DAYS_EXTRA_RETENTION = 31;
/** Sorts after every ISO timestamp: an open item with nothing more to escalate. */
const NOTHING_DUE = '~';
export const THREAD_MARKER = 'HEAD';
/** Resolved batches remembered per table client (a batch's outcome never changes). */
const RESOLVED_CACHE = 20_000;

export const key = {
  comment: (community: string, commentId: string): Key => ({
    pk: `COMMENT#${community}#${commentId}`,
    sk: 'COMMENT',
  }),
  member: (community: string, memberKey: string): Key => ({
    pk: `MEMBER#${community}#${memberKey}`,
    sk: 'MEMBER',
  }),
  entry: (community: string, threadId: string, commentId: string): Key => ({
    pk: `THREAD#${community}#${threadId}`,
    sk: `ENTRY#${commentId}`,
  }),
  threadMarker: (community: string, threadId: string): Key => ({
    pk: `THREAD#${community}#${threadId}`,
    sk: THREAD_MARKER,
  }),
  open: (community: string, item: ThreadItem): Key => ({
    pk: `OPEN#${community}#${shardOf(item.commentId)}`,
    sk: `${nextActionAt(item)}#${item.commentId}`,
  }),
  kpi: (community: string, shard: number, day: string): Key => ({
    pk: `KPI#${community}#${shard}`,
    sk: `DAY#${day}`,
  }),
  /** `stamp` is `<day>#<batch id>`, as claims carry it. */
  batch: (community: string, stamp: string): Key => ({
    pk: `BATCH#${community}#${shardOf(stamp.slice(stamp.indexOf('#') + 1))}`,
    sk: `DAY#${stamp}`,
  }),
  once: (name: string): Key => ({ pk: `ONCE#${name}`, sk: 'ONCE' }),
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

/** What a claim's batch became: `pending` when its record is not there (yet). */
export type BatchOutcome = 'committed' | 'aborted' | 'pending';

/** The table, as the stores share it: requests, retries, expiry, codecs and the visibility of claims. */
export class DynamoTable {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  private readonly resolved = new Map<string, 'committed' | 'aborted'>();

  constructor(
    client: DynamoDBClient,
    readonly options: DynamoStoreOptions,
  ) {
    this.tableName = options.tableName;
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  /** The items readers may see: unclaimed ones, and claims whose batch committed. */
  async visible(community: string, items: Item[]): Promise<Item[]> {
    const stamps = [...new Set(items.map((i) => i.batch).filter((s): s is string => typeof s === 'string'))];
    if (stamps.length === 0) return items;
    const outcomes = await this.outcomes(community, stamps);
    return items.filter((i) => typeof i.batch !== 'string' || outcomes.get(i.batch) === 'committed');
  }

  async outcomes(community: string, stamps: string[]): Promise<Map<string, BatchOutcome>> {
    const outcomes = new Map<string, BatchOutcome>();
    const unknown: string[] = [];
    for (const stamp of stamps) {
      const known = this.resolved.get(stamp);
      if (known) outcomes.set(stamp, known);
      else unknown.push(stamp);
    }
    const records = await this.batchGet(unknown.map((s) => key.batch(community, s)));
    const bySk = new Map(records.map((r) => [String(r.sk), r]));
    for (const stamp of unknown) {
      const status = bySk.get(`DAY#${stamp}`)?.status;
      if (status === 'committed' || status === 'aborted') {
        this.remember(stamp, status);
        outcomes.set(stamp, status);
      } else {
        outcomes.set(stamp, 'pending');
      }
    }
    return outcomes;
  }

  remember(stamp: string, outcome: 'committed' | 'aborted') {
    if (this.resolved.size >= RESOLVED_CACHE) {
      const oldest = this.resolved.keys().next().value;
      if (oldest !== undefined) this.resolved.delete(oldest);
    }
    this.resolved.set(stamp, outcome);
  }

  forget(stamp: string) {
    this.resolved.delete(stamp);
  }

  commentItem(community: string, c: StoredComment): Item {
    return {
      ...key.comment(community, c.comment.id),
      kind: 'comment',
      day: c.day,
      status: c.status,
      version: c.version,
      comment: c.comment,
      classification: keptClassification(c.classification),
      routes: c.routes,
      counted: encodeCounters(c.counters),
      ...(c.outbox.length ? { outbox: c.outbox } : {}),
      ...(c.events?.length ? { events: c.events } : {}),
      expiresAt: this.expiresAt(0),
    };
  }

  memberItem(community: string, m: Member): Item {
    // The member is forgotten `retentionDays` after their last active day, like their comments.
    return { ...key.member(community, m.key), kind: 'member', ...m, expiresAt: this.expiresAt(0) };
  }

  entryItem(community: string, e: ThreadEntry): Item {
    return { ...key.entry(community, e.threadId, e.commentId), ...e, expiresAt: this.expiresAt(0) };
  }

  openMarker(community: string, entry: ThreadEntry): Item | undefined {
    if (entry.kind !== 'item' || entry.status !== 'open') return undefined;
    return { ...key.open(community, entry), kind: 'open', item: entry, expiresAt: this.expiresAt(0) };
  }

  async queryAll(input: QueryCommandInput): Promise<Item[]> {
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

  /** Unconditional puts, 25 to a request, retrying what DynamoDB leaves unprocessed. */
  async batchPut(items: Item[]): Promise<void> {
    const table = this.tableName;
    await Promise.all(
      Array.from({ length: Math.ceil(items.length / 25) }, async (_, i) => {
        let pending: unknown[] | undefined = items
          .slice(i * 25, i * 25 + 25)
          .map((item) => ({ PutRequest: { Item: item } }));
        for (let attempt = 0; pending?.length; attempt++) {
          if (attempt > 0) await sleep(20 * 2 ** attempt);
          if (attempt > 6) throw new DependencyError('DynamoDB kept writes unprocessed');
          const requests = pending as NonNullable<BatchWriteCommandInput['RequestItems']>[string];
          const result = await this.call(() =>
            this.doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } })),
          );
          pending = result.UnprocessedItems?.[table];
        }
      }),
    );
  }

  async batchGet(keys: Key[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Key[] | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 0) await sleep(20 * 2 ** attempt);
        if (attempt > 6) throw new DependencyError('DynamoDB kept keys unprocessed');
        const keysNow = pending;
        const result = await this.call(() =>
          this.doc.send(
            new BatchGetCommand({
              RequestItems: { [this.tableName]: { Keys: keysNow, ConsistentRead: true } },
            }),
          ),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys as Key[] | undefined;
      }
    }
    return found;
  }

  now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  expiresAt(extraDays: number): number {
    return epoch(this.now()) + (this.options.retentionDays + extraDays) * 86_400;
  }

  async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (cause) {
      throw new DependencyError('DynamoDB request failed', { cause });
    }
  }
}

/** KPI counters are top-level attributes `c:<name>`: ADD works on top-level attributes only. */
export const COUNTER_PREFIX = 'c:';

export function countersOf(item: Item): Counters {
  const counters: Counters = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(COUNTER_PREFIX) && typeof value === 'number')
      counters[name.slice(COUNTER_PREFIX.length)] = value;
  }
  return counters;
}

/** A comment's counters are nearly all ones: kept as their names (`name=3` for any other value). */
function encodeCounters(counters: Counters): string[] {
  return Object.entries(counters).map(([name, value]) => (value === 1 ? name : `${name}=${value}`));
}

export function decodeCounters(names: unknown): Counters {
  const counters: Counters = {};
  for (const entry of Array.isArray(names) ? (names as string[]) : []) {
    const at = entry.lastIndexOf('=');
    if (at > 0) counters[entry.slice(0, at)] = Number(entry.slice(at + 1));
    else counters[entry] = 1;
  }
  return counters;
}

export function isTombstone(item: Item): boolean {
  return item.kind === 'tombstone';
}

export function eventsOf(item: Item): string[] {
  return Array.isArray(item.events) ? (item.events as string[]) : [];
}

export function commentFromItem(item: Item): StoredComment {
  return {
    comment: item.comment as StoredComment['comment'],
    classification: keptClassification(item.classification as StoredComment['classification']),
    routes: (item.routes ?? []) as StoredComment['routes'],
    day: item.day as string,
    // Comments stored before `counted` kept their counters whole.
    counters: item.counted ? decodeCounters(item.counted) : ((item.counters ?? {}) as Counters),
    status: item.status as StoredComment['status'],
    version: item.version as number,
    outbox: (item.outbox as OutboxEntry[] | undefined) ?? legacyNotified(item),
    ...(Array.isArray(item.events) && item.events.length ? { events: item.events as string[] } : {}),
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
    batch: _batch,
    batchAt: _batchAt,
    welcomed: _w,
    welcomeClaim: _c,
    comments: _comments,
    answersGiven: _answers,
    ...member
  } = item;
  return member as unknown as Member;
}

export function entryFromItem(item: Item): ThreadEntry {
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, batch: _batch, batchAt: _batchAt, ...entry } = item;
  return entry as unknown as ThreadEntry;
}

export function shardOf(id: string): number {
  return createHash('sha1').update(id).digest().readUInt16BE(0) % SHARDS;
}

export function epoch(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export function isConditionFailure(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
