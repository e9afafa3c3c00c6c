/**
 * The comment store in one DynamoDB table (single-table design).
 *
 * Item layout (`c` is the community):
 *
 * | item                | pk                      | sk                       | written                  |
 * | ------------------- | ----------------------- | ------------------------ | ------------------------ |
 * | comment / tombstone | COMMENT#c#<comment id>  | COMMENT                  | claim, or in the commit  |
 * | member              | MEMBER#c#<member key>   | MEMBER                   | claim, or in the commit  |
 * | thread entry        | THREAD#c#<thread id>    | ENTRY#<comment id>       | claim, or in the commit  |
 * | open item (index)   | OPEN#c#<shard>          | <next action at>#<id>    | claim, or in the commit  |
 * | KPI counters        | KPI#c#<shard>           | DAY#<day>                | ADD, in the commit       |
 * | batch record        | BATCH#c#<shard>         | DAY#<day>#<batch id>     | Put, in the commit       |
 * | once-only record    | ONCE#<name>             | ONCE                     | conditional Put          |
 *
 * A comment item keeps only what is read back (the comment, the classification's labels, routes,
 * the names of the counters it adds, its outbox and the edit/delete events applied to it): it
 * stays under 1 KB for an ordinary comment. Its created-event dedupe is its own conditional put.
 *
 * How a batch commits, and why it counts exactly once:
 *
 * 1. Claims. Every record the batch creates (comments, tombstones, new members, new thread entries
 *    and their open-index items) is one conditional single-item Put (`attribute_not_exists`),
 *    stamped with the batch's id (`batch`) and the time of the claim (`batchAt`). A claim is
 *    invisible to every reader until its batch record exists with status `committed`.
 * 2. Commit. One transaction holds the batch record (a conditional Put: it exists at most once,
 *    and it carries the batch's member activity for its day), the KPI counter ADDs, the member
 *    activity of other days, and every change to a record that already existed (edits, deletions,
 *    answers, withdrawals, member days, escalations), each conditional on the version read. The
 *    claims and all the counters they cause therefore become visible together, or never.
 * 3. A failed condition anywhere (a duplicate delivery claimed a comment first, a record changed
 *    since it was read) aborts the batch: its record is written as `aborted` (the same conditional
 *    Put, so a commit and an abort exclude each other) and the caller reads and plans again. A
 *    later claim may replace a claim of an aborted batch, and nothing else.
 *
 * A crash between 1 and 2 leaves claims whose batch record is missing: they count nothing and are
 * read as absent. The redelivery finds the keys taken, sees the claims are older than the lease
 * (`CLAIM_LEASE_MS`, more than a process function run), aborts their batch in its place and
 * claims the keys again. A claim younger than the lease may be a batch still running: the caller
 * waits and retries. A crash after 2 changed everything: the replay finds every comment and
 * writes nothing. So no count is lost or doubled, and redeliveries cost reads only.
 *
 * Counters are ADDed to KPI#c#<shard> items, the shard picked per batch, so one busy community
 * spreads its writes over SHARDS partitions; member activity is one batch record per batch and
 * day. Readers query each shard and add them up.
 *
 * Threads have no head that every batch must update: two batches that each add an entry to the
 * same thread (a question and its answer) write different items. The race where each misses the
 * other's entry is closed by the planner, which reconciles every thread it reads, and by the
 * process use case, which reads the threads it wrote to again once committed.
 *
 * The outbox entries of a claimed comment or member are in its claim: the stream delivers them
 * when the claim is written. A batch aborted after that is planned again with the same entry ids,
 * so its retry adds nothing to send.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  BatchChanges,
  BatchContext,
  CommentStore,
  CommitResult,
  ContextRequest,
  KpiStore,
  MemberStore,
  OnceStore,
  OpenItemStore,
  StoredComment,
  Versioned,
} from '../core/ports.ts';
import { keptClassification } from '../domain/classification.ts';
import { DependencyError } from '../domain/errors.ts';
import { addCounters, type Counters } from '../domain/kpi.ts';
import type { Member } from '../domain/members.ts';
import { type OutboxEntry, outboxId } from '../domain/outbox.ts';
import type { ThreadEntry, ThreadItem } from '../domain/threads.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/**
 * Daily counters, batch records and the open-items index are spread over this many partition keys
 * per community, so that one busy community never funnels its writes into a single partition;
 * reads query each shard and add them up.
 */
export const SHARDS = 8;
/** DynamoDB's limit on actions in one transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;
/**
 * A claim whose batch has neither committed nor aborted after this long belongs to a batch that
 * died: the next batch that needs its key aborts it. Longer than a process function run (60 s) so a
 * slow live batch is almost never aborted; aborting one is safe anyway, it only plans again.
 */
export const CLAIM_LEASE_MS = 90_000;
/** Member activity is kept this much longer than comments, so 30-day windows stay computable. */
const MEMBER_DAYS_EXTRA_RETENTION = 31;
/** Sorts after every ISO timestamp: an open item with nothing more to escalate. */
const NOTHING_DUE = '~';
const THREAD_MARKER = 'HEAD';
/** A filter names at most this many comments (DynamoDB takes 100 operands in an IN). */
const MAX_FILTERED_IDS = 90;
/** Resolved batches remembered per store (a batch's outcome never changes). */
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
  /**
   * Written (before the commit) by every batch that adds an entry to a thread other than its
   * root's: a thread without it holds at most its root's entry, which is read by key, so the
   * thread need not be queried.
   */
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

/**
 * A record the batch creates, written outside the transaction and visible once the batch commits.
 * `keyed`: a comment, tombstone or member, claimed with a conditional Put (its key is what a
 * duplicate delivery or a racing batch would also claim). `derived`: a thread entry or open-index
 * item of a comment claimed by this batch; once that claim is held, nothing live can hold the
 * derived key, so derived records go in batch writes.
 */
interface Claim {
  item: Item;
  derived: boolean;
}

/** What a claim's batch became: `pending` when its record is not there (yet). */
type BatchOutcome = 'committed' | 'aborted' | 'pending';

export class DynamoCommentStore implements CommentStore, KpiStore, OnceStore, OpenItemStore, MemberStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly resolved = new Map<string, 'committed' | 'aborted'>();

  constructor(
    client: DynamoDBClient,
    private readonly options: DynamoStoreOptions,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  async loadContext(community: string, request: ContextRequest): Promise<BatchContext> {
    const ids = new Set(request.commentIds);
    // One read for the comments, the members and, per thread, its marker and its root's entry.
    const found = await this.batchGet([
      ...request.commentIds.map((id) => key.comment(community, id)),
      ...request.memberKeys.map((k) => key.member(community, k)),
      ...request.threadIds.flatMap((t) => [key.threadMarker(community, t), key.entry(community, t, t)]),
    ]);
    const visibleItems = await this.visible(community, found);
    const of = (prefix: string) => visibleItems.filter((i) => String(i.pk).startsWith(prefix));
    const commentItems = of('COMMENT#');
    // A comment deleted before its creation arrived is a tombstone in the comment's own place.
    const tombstones = commentItems.filter(isTombstone);
    const stored = commentItems.filter((i) => !isTombstone(i)).map(commentFromItem);
    const threadItems = of('THREAD#');
    const threads = new Map<string, Promise<ThreadEntry[]>>();
    for (const threadId of request.threadIds) {
      const pk = key.threadMarker(community, threadId).pk;
      const mine = threadItems.filter((i) => i.pk === pk);
      threads.set(
        threadId,
        mine.some((i) => i.sk === THREAD_MARKER)
          ? this.thread(community, threadId, ids, request.since)
          : // No marker: nothing but the root's own entry was ever added to the thread.
            Promise.resolve(mine.filter((i) => i.sk !== THREAD_MARKER).map(entryFromItem)),
      );
    }
    // An edit or delete may name no thread, or another one: the stored comment's thread counts too.
    for (const c of stored)
      if (!threads.has(c.comment.threadId))
        threads.set(c.comment.threadId, this.thread(community, c.comment.threadId, ids, request.since));
    const seenEvents = new Set<string>();
    for (const c of stored) for (const e of c.events ?? []) seenEvents.add(e);
    for (const t of tombstones) for (const e of eventsOf(t)) seenEvents.add(e);
    return {
      comments: new Map(stored.map((c) => [c.comment.id, c])),
      tombstones: new Map(tombstones.map((i) => [String(i.commentId), eventsOf(i)])),
      seenEvents,
      members: new Map(of('MEMBER#').map((i) => [String(i.key), memberFromItem(i)])),
      threads: new Map(
        await Promise.all([...threads].map(async ([id, entries]) => [id, await entries] as const)),
      ),
    };
  }

  async commit(community: string, changes: BatchChanges): Promise<CommitResult> {
    const batchId = randomBytes(9).toString('base64url');
    const { claims, markers, transaction } = this.writes(community, changes, batchId);
    if (claims.length === 0 && transaction.length === 0) return 'committed';
    if (transaction.length > MAX_TRANSACTION_ACTIONS) return 'too-large';
    const stamp = claims[0]?.item.batch as string | undefined;
    if (stamp) {
      const keyed = claims.filter((c) => !c.derived);
      const claimed = await Promise.allSettled([...keyed.map((claim) => this.claim(community, claim))]);
      const failure = claimed.find((c): c is PromiseRejectedResult => c.status === 'rejected');
      if (failure) {
        // Whatever was claimed must not wait for the lease to be taken over.
        await this.abandon(community, stamp).catch(() => undefined);
        throw failure.reason;
      }
      if (claimed.some((c) => c.status === 'fulfilled' && !c.value)) return this.abandon(community, stamp);
      try {
        await this.batchPut([...claims.filter((c) => c.derived).map((c) => c.item), ...markers]);
      } catch (error) {
        await this.abandon(community, stamp).catch(() => undefined);
        throw error;
      }
    }
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: transaction }));
      if (stamp) this.remember(stamp, 'committed');
      return 'committed';
    } catch (error) {
      // Only a failed condition or a clash with another transaction is worth reading and planning again.
      const reasons = cancellationCodes(error);
      if (reasons?.every((code) => !code || RETRYABLE_CANCELLATIONS.has(code)))
        return stamp ? this.abandon(community, stamp) : 'conflict';
      // The outcome is unknown (a timeout): the batch record says whether it committed.
      if (stamp && !reasons) {
        const outcome = await this.abandon(community, stamp).catch(() => undefined);
        if (outcome === 'committed') return outcome;
      }
      throw new DependencyError(
        `DynamoDB transaction failed${reasons ? ` (${reasons.filter(Boolean).join(', ')})` : ''}`,
        { cause: error },
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
    const [item] = await this.visible(community, result.Item ? [result.Item] : []);
    return item && !isTombstone(item) ? commentFromItem(item) : undefined;
  }

  async members(community: string, memberKeys: readonly string[]): Promise<Member[]> {
    const items = await this.batchGet(memberKeys.map((k) => key.member(community, k)));
    return (await this.visible(community, items)).map(memberFromItem);
  }

  async comments(community: string, commentIds: readonly string[]): Promise<StoredComment[]> {
    const items = await this.batchGet(commentIds.map((id) => key.comment(community, id)));
    return (await this.visible(community, items)).filter((i) => !isTombstone(i)).map(commentFromItem);
  }

  async readDays(community: string, from: string, to: string): Promise<Map<string, Counters>> {
    const days = new Map<string, Counters>();
    for (const item of await this.shardRange(`KPI#${community}`, `DAY#${from}`, `DAY#${to}`)) {
      const day = String(item.sk).slice('DAY#'.length);
      days.set(day, addCounters(days.get(day) ?? {}, countersOf(item)));
    }
    return sortedByDay(days);
  }

  /** Member activity per day: `n:<member>`, `h:<member>`, `f:<member>`, `x:<member>` counts. */
  async readMemberDays(community: string, from: string, to: string): Promise<Map<string, Counters>> {
    const days = new Map<string, Counters>();
    for (const item of await this.shardRange(`BATCH#${community}`, `DAY#${from}`, `DAY#${to}#~`)) {
      if (item.status !== 'committed') continue;
      const day = String(item.sk).slice('DAY#'.length, 'DAY#'.length + 10);
      days.set(day, addCounters(days.get(day) ?? {}, (item.activity ?? {}) as Counters));
    }
    return sortedByDay(days);
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
    const [item] = await this.visible(community, result.Item ? [result.Item] : []);
    const entry = item ? entryFromItem(item) : undefined;
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
      if (isConditionFailure(error)) return 'done';
      throw new DependencyError('DynamoDB request failed', { cause: error });
    }
  }

  /** The batch's claims (what it creates) and its transaction (the batch record, counters, changes). */
  private writes(
    community: string,
    changes: BatchChanges,
    batchId: string,
  ): { claims: Claim[]; markers: Item[]; transaction: TransactItem[] } {
    const table = this.options.tableName;
    const inserts: Item[] = [];
    const derived: Item[] = [];
    const transaction: TransactItem[] = [];
    const versioned = (item: Item, previousVersion: number): TransactItem => ({
      Put: {
        TableName: table,
        Item: item,
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': previousVersion },
      },
    });
    const days = new Set<string>();
    for (const write of changes.comments) {
      const item = this.commentItem(community, write.next);
      days.add(write.next.day);
      if (write.previous) {
        transaction.push(versioned(item, write.previous.version));
      } else if (changes.overTombstones.has(write.next.comment.id)) {
        transaction.push({
          Put: {
            TableName: table,
            Item: item,
            ConditionExpression: 'kind = :tombstone',
            ExpressionAttributeValues: { ':tombstone': 'tombstone' },
          },
        });
      } else {
        inserts.push(item);
      }
    }
    // In the comment's own key, so a creation racing the deletion conflicts with it.
    for (const { commentId, events } of changes.tombstones) {
      inserts.push({
        ...key.comment(community, commentId),
        kind: 'tombstone',
        commentId,
        events,
        expiresAt: this.expiresAt(0),
      });
    }
    for (const write of changes.members) {
      const item = this.memberItem(community, write.next);
      if (write.previous) transaction.push(versioned(item, write.previous.version));
      else inserts.push(item);
    }
    for (const write of changes.threadEntries) {
      const item = this.entryItem(community, write.next);
      const marker = this.openMarker(community, write.next);
      if (write.previous) {
        transaction.push(versioned(item, write.previous.version));
        transaction.push(...this.openMarkerChanges(community, write, marker));
      } else {
        // The entry of a comment this batch does not claim (written over a tombstone, say) is claimed by its key.
        const claimedHere = changes.comments.some(
          (w) =>
            !w.previous &&
            !changes.overTombstones.has(w.next.comment.id) &&
            w.next.comment.id === write.next.commentId,
        );
        (claimedHere ? derived : inserts).push(item);
        if (marker) (claimedHere ? derived : inserts).push(marker);
      }
    }

    // Unstamped and before the commit: a reader must know the thread has more than its root before
    // the entry can be visible. One left by a batch that aborts only costs a query.
    const marked = new Set(
      changes.threadEntries
        .filter((w) => !w.previous && w.next.commentId !== w.next.threadId)
        .map((w) => w.next.threadId),
    );
    const markers = [...marked].map((threadId) => ({
      ...key.threadMarker(community, threadId),
      kind: 'thread',
      expiresAt: this.expiresAt(0),
    }));

    const shard = shardOf(batchId);
    for (const [day, counters] of changes.counters) {
      const update = this.counterUpdate(key.kpi(community, shard, day), counters);
      if (update) transaction.push(update);
    }
    // The batch record: the claims' commit point, and the batch's member activity for its day.
    const activityDays = [...changes.memberDays.keys()].sort();
    const firstDay = activityDays[0] ?? [...days].sort()[0] ?? this.now().toISOString().slice(0, 10);
    const stamp = `${firstDay}#${batchId}`;
    const records = inserts.length ? new Set([firstDay, ...activityDays]) : new Set(activityDays);
    for (const day of records) {
      transaction.push({
        Put: {
          TableName: table,
          Item: {
            ...key.batch(community, `${day}#${batchId}`),
            kind: 'batch',
            status: 'committed',
            activity: changes.memberDays.get(day) ?? {},
            expiresAt: this.expiresAt(MEMBER_DAYS_EXTRA_RETENTION),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    const batchAt = this.now().getTime();
    const stamped = (item: Item, isDerived: boolean): Claim => ({
      item: { ...item, batch: stamp, batchAt },
      derived: isDerived,
    });
    return {
      claims: [...inserts.map((i) => stamped(i, false)), ...derived.map((i) => stamped(i, true))],
      markers,
      transaction,
    };
  }

  /**
   * Writes one claim. `false`: the key is taken by a record that is visible, or by a claim of a
   * batch that may still commit. A claim of an aborted batch (or of one past the lease, aborted
   * here) is replaced.
   */
  private async claim(community: string, claim: Claim): Promise<boolean> {
    const put = (
      condition: Pick<
        PutCommandInput,
        'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
      >,
    ) => this.doc.send(new PutCommand({ TableName: this.options.tableName, Item: claim.item, ...condition }));
    try {
      await put({ ConditionExpression: 'attribute_not_exists(pk)' });
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw new DependencyError('DynamoDB request failed', { cause: error });
    }
    const found = await this.call(() =>
      this.doc.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: { pk: claim.item.pk, sk: claim.item.sk },
          ConsistentRead: true,
        }),
      ),
    );
    const stamp = found.Item?.batch;
    if (typeof stamp !== 'string') return false;
    let outcome = (await this.outcomes(community, [stamp])).get(stamp) ?? 'pending';
    if (outcome === 'pending' && this.now().getTime() - Number(found.Item?.batchAt ?? 0) > CLAIM_LEASE_MS)
      outcome = await this.abandon(community, stamp).then((o) => (o === 'conflict' ? 'aborted' : o));
    if (outcome !== 'aborted') return false;
    try {
      await put({
        ConditionExpression: '#batch = :dead',
        ExpressionAttributeNames: { '#batch': 'batch' },
        ExpressionAttributeValues: { ':dead': stamp },
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new DependencyError('DynamoDB request failed', { cause: error });
    }
  }

  /**
   * Aborts a batch by writing its record as `aborted`, unless it exists already. Answers
   * 'conflict' when the batch is (now) aborted, 'committed' when it had committed.
   */
  private async abandon(community: string, stamp: string): Promise<'conflict' | 'committed'> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...key.batch(community, stamp),
            kind: 'batch',
            status: 'aborted',
            expiresAt: this.expiresAt(MEMBER_DAYS_EXTRA_RETENTION),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      this.remember(stamp, 'aborted');
      return 'conflict';
    } catch (error) {
      if (!isConditionFailure(error)) throw new DependencyError('DynamoDB request failed', { cause: error });
    }
    this.resolved.delete(stamp);
    return (await this.outcomes(community, [stamp])).get(stamp) === 'committed' ? 'committed' : 'conflict';
  }

  /** The items readers may see: unclaimed ones, and claims whose batch committed. */
  private async visible(community: string, items: Item[]): Promise<Item[]> {
    const stamps = [...new Set(items.map((i) => i.batch).filter((s): s is string => typeof s === 'string'))];
    if (stamps.length === 0) return items;
    const outcomes = await this.outcomes(community, stamps);
    return items.filter((i) => typeof i.batch !== 'string' || outcomes.get(i.batch) === 'committed');
  }

  private async outcomes(community: string, stamps: string[]): Promise<Map<string, BatchOutcome>> {
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

  private remember(stamp: string, outcome: 'committed' | 'aborted') {
    if (this.resolved.size >= RESOLVED_CACHE) {
      const oldest = this.resolved.keys().next().value;
      if (oldest !== undefined) this.resolved.delete(oldest);
    }
    this.resolved.set(stamp, outcome);
  }

  private openMarker(community: string, entry: ThreadEntry): Item | undefined {
    if (entry.kind !== 'item' || entry.status !== 'open') return undefined;
    return { ...key.open(community, entry), kind: 'open', item: entry, expiresAt: this.expiresAt(0) };
  }

  /** Keeps the open-items index in step with a thread item: moved when its next escalation moves, removed once answered. */
  private openMarkerChanges(
    community: string,
    write: Versioned<ThreadEntry>,
    after: Item | undefined,
  ): TransactItem[] {
    const before =
      write.previous?.kind === 'item' && write.previous.status === 'open'
        ? key.open(community, write.previous)
        : undefined;
    const writes: TransactItem[] = [];
    if (before && (!after || before.sk !== after.sk)) {
      writes.push({ Delete: { TableName: this.options.tableName, Key: before } });
    }
    if (after) writes.push({ Put: { TableName: this.options.tableName, Item: after } });
    return writes;
  }

  private counterUpdate(itemKey: Key, counters: Counters): TransactItem | undefined {
    // One top-level attribute per counter (`c:<name>`): ADD works on top-level attributes only.
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    for (const [name, value] of Object.entries(counters)) {
      if (value === 0) continue;
      const i = adds.length;
      names[`#n${i}`] = `${COUNTER_PREFIX}${name}`;
      values[`:v${i}`] = value;
      adds.push(`#n${i} :v${i}`);
    }
    if (adds.length === 0) return undefined;
    return {
      Update: {
        TableName: this.options.tableName,
        Key: itemKey,
        UpdateExpression: `ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  private commentItem(community: string, c: StoredComment): Item {
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

  private memberItem(community: string, m: Member): Item {
    // The member is forgotten `retentionDays` after their last active day, like their comments.
    return { ...key.member(community, m.key), kind: 'member', ...m, expiresAt: this.expiresAt(0) };
  }

  private entryItem(community: string, e: ThreadEntry): Item {
    return { ...key.entry(community, e.threadId, e.commentId), ...e, expiresAt: this.expiresAt(0) };
  }

  /**
   * The visible entries of a thread that can still matter (ports.ts, BatchContext.threads): the
   * filter spares reading every answered item of a long thread again for each batch.
   */
  private async thread(
    community: string,
    threadId: string,
    commentIds: ReadonlySet<string>,
    since: string,
  ): Promise<ThreadEntry[]> {
    const ids = [...commentIds].slice(0, MAX_FILTERED_IDS);
    const filter = [
      '#kind = :reply',
      '#status = :open',
      '#answeredAt > :since',
      ...(ids.length ? [`#commentId IN (${ids.map((_, i) => `:id${i}`).join(', ')})`] : []),
    ];
    const items = await this.queryAll({
      TableName: this.options.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      // Too many comments to name: every entry is read.
      ...(commentIds.size <= MAX_FILTERED_IDS
        ? {
            FilterExpression: filter.join(' OR '),
            ExpressionAttributeNames: {
              '#kind': 'kind',
              '#status': 'status',
              '#answeredAt': 'answeredAt',
              ...(ids.length ? { '#commentId': 'commentId' } : {}),
            },
          }
        : {}),
      ExpressionAttributeValues: {
        ':pk': key.entry(community, threadId, '').pk,
        ':entry': 'ENTRY#',
        ...(commentIds.size <= MAX_FILTERED_IDS
          ? {
              ':reply': 'reply',
              ':open': 'open',
              ':since': since,
              ...Object.fromEntries(ids.map((id, i) => [`:id${i}`, id])),
            }
          : {}),
      },
      ConsistentRead: true,
    });
    return (await this.visible(community, items)).map(entryFromItem);
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
    return (await this.visible(community, shards.flat())).map((i) => i.item as ThreadItem);
  }

  /** Every item of `<prefix>#<shard>` with a sort key from `from` to `to`, over all shards. */
  private async shardRange(prefix: string, from: string, to: string): Promise<Item[]> {
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        this.queryAll({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `${prefix}#${shard}`, ':from': from, ':to': to },
        }),
      ),
    );
    return shards.flat();
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

  /** Unconditional puts, 25 to a request, retrying what DynamoDB leaves unprocessed. */
  private async batchPut(items: Item[]): Promise<void> {
    const table = this.options.tableName;
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

  private async batchGet(keys: Key[]): Promise<Item[]> {
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
              RequestItems: { [this.options.tableName]: { Keys: keysNow, ConsistentRead: true } },
            }),
          ),
        );
        found.push(...(result.Responses?.[this.options.tableName] ?? []));
        pending = result.UnprocessedKeys?.[this.options.tableName]?.Keys as Key[] | undefined;
      }
    }
    return found;
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

function sortedByDay(days: Map<string, Counters>): Map<string, Counters> {
  return new Map([...days].sort(([a], [b]) => a.localeCompare(b)));
}

/** A comment's counters are nearly all ones: kept as their names (`name=3` for any other value). */
function encodeCounters(counters: Counters): string[] {
  return Object.entries(counters).map(([name, value]) => (value === 1 ? name : `${name}=${value}`));
}

function decodeCounters(names: unknown): Counters {
  const counters: Counters = {};
  for (const entry of Array.isArray(names) ? (names as string[]) : []) {
    const at = entry.lastIndexOf('=');
    if (at > 0) counters[entry.slice(0, at)] = Number(entry.slice(at + 1));
    else counters[entry] = 1;
  }
  return counters;
}

function isTombstone(item: Item): boolean {
  return item.kind === 'tombstone';
}

function eventsOf(item: Item): string[] {
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

function shardOf(id: string): number {
  return createHash('sha1').update(id).digest().readUInt16BE(0) % SHARDS;
}

function epoch(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function isConditionFailure(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
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
