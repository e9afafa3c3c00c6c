/**
 * The CommentStore on the service table (item layout: dynamodb-table.ts). How a batch commits,
 * and why it counts exactly once:
 *
 * 1. Claims. Every record the batch creates is written outside any transaction, stamped with the
 *    batch (`batch`: `<day>#<batch id>`, and `batchAt`, the time of the claim): comments,
 *    tombstones and new members with a conditional Put each (`attribute_not_exists`: a duplicate
 *    delivery or a racing batch claiming the same key fails here); then the thread entries and
 *    open-index items of the comments just claimed, in batch writes (nothing live can hold those
 *    keys once their comment is claimed); then the markers of the threads that get a non-root entry.
 *    Every reader treats a claim as absent until its batch record says `committed`.
 * 2. Commit. One transaction: the batch record (a conditional Put; it exists at most once and
 *    carries the batch's member activity for its first day), the member activity of other days,
 *    the KPI counter ADDs, and every change to a record that already existed (edits, deletions,
 *    answers, withdrawals, a member's new active day, escalations), each conditional on the
 *    version read. The claims and every counter they cause become visible together, or never.
 * 3. Abort. A failed condition (in a claim or in the transaction) aborts the batch: its record is
 *    written as `aborted` with the same conditional Put, so a commit and an abort exclude each
 *    other, and the caller reads and plans again. A later claim may replace a claim of an aborted
 *    batch, and nothing else.
 *
 * A crash between 1 and 2 leaves claims whose batch has no record: they count nothing and read as
 * absent. The redelivery finds their keys taken, sees the claims are older than CLAIM_LEASE_MS,
 * aborts their batch in its place and claims again. A younger claim may belong to a batch still
 * running: the caller waits and retries (aborting a live batch would only make it plan again). A
 * crash after 2 leaves everything done: the replay finds every comment, writes nothing and pays
 * reads only. So no count is lost or doubled.
 *
 * There is no thread head for every batch to update: two batches that each add an entry to one
 * thread (a question and its answer) write different items, and the race in which each misses the
 * other's entry is closed by the planner, which reconciles every thread it reads, and by the
 * process use case, which reads again the threads it added entries to once it has committed.
 *
 * A claimed comment or member carries its outbox entries: the stream delivers them when the claim
 * is written. A batch aborted after that is planned again with the same entry ids, so its retry
 * adds nothing more to send.
 */
import { randomBytes } from 'node:crypto';
import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  type PutCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  BatchChanges,
  BatchContext,
  CommentStore,
  CommitResult,
  ContextRequest,
  StoredComment,
  Versioned,
} from '../core/ports.ts';
import { DependencyError } from '../domain/errors.ts';
import type { Counters } from '../domain/kpi.ts';
import type { ThreadEntry } from '../domain/threads.ts';
import {
  COUNTER_PREFIX,
  commentFromItem,
  type DynamoStoreOptions,
  DynamoTable,
  entryFromItem,
  eventsOf,
  type Item,
  isConditionFailure,
  isTombstone,
  type Key,
  key,
  MEMBER_DAYS_EXTRA_RETENTION,
  memberFromItem,
  shardOf,
  THREAD_MARKER,
} from './dynamodb-table.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit on actions in one transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;
/**
 * A claim whose batch has neither committed nor aborted after this long belongs to a batch that
 * died: the next batch that needs its key aborts it. Longer than a process function run (60 s) so a
 * slow live batch is almost never aborted; aborting one is safe anyway, it only plans again.
 */
export const CLAIM_LEASE_MS = 90_000;
/** A thread query names at most this many comments (DynamoDB takes 100 operands in an IN). */
const MAX_FILTERED_IDS = 90;

/**
 * A record the batch creates, written outside the transaction and visible once the batch commits.
 * Not `derived`: a comment, tombstone or member, claimed with a conditional Put (its key is what a
 * duplicate delivery or a racing batch would also claim). `derived`: a thread entry or open-index
 * item of a comment claimed by this batch; once that claim is held, nothing live can hold the
 * derived key, so derived records go in batch writes.
 */
interface Claim {
  item: Item;
  derived: boolean;
}

export class DynamoCommentStore implements CommentStore {
  private readonly table: DynamoTable;

  constructor(client: DynamoDBClient, options: DynamoStoreOptions) {
    this.table = new DynamoTable(client, options);
  }

  async loadContext(community: string, request: ContextRequest): Promise<BatchContext> {
    const ids = new Set(request.commentIds);
    // One read for the comments, the members and, per thread, its marker and its root's entry.
    const found = await this.table.batchGet([
      ...request.commentIds.map((id) => key.comment(community, id)),
      ...request.memberKeys.map((k) => key.member(community, k)),
      ...request.threadIds.flatMap((t) => [key.threadMarker(community, t), key.entry(community, t, t)]),
    ]);
    const visibleItems = await this.table.visible(community, found);
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
        await this.table.batchPut([...claims.filter((c) => c.derived).map((c) => c.item), ...markers]);
      } catch (error) {
        await this.abandon(community, stamp).catch(() => undefined);
        throw error;
      }
    }
    try {
      await this.table.doc.send(new TransactWriteCommand({ TransactItems: transaction }));
      if (stamp) this.table.remember(stamp, 'committed');
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
    const result = await this.table.call(() =>
      this.table.doc.send(
        new GetCommand({
          TableName: this.table.tableName,
          Key: key.comment(community, commentId),
          ConsistentRead: true,
        }),
      ),
    );
    const [item] = await this.table.visible(community, result.Item ? [result.Item] : []);
    return item && !isTombstone(item) ? commentFromItem(item) : undefined;
  }

  async comments(community: string, commentIds: readonly string[]): Promise<StoredComment[]> {
    const items = await this.table.batchGet(commentIds.map((id) => key.comment(community, id)));
    return (await this.table.visible(community, items)).filter((i) => !isTombstone(i)).map(commentFromItem);
  }

  /** The batch's claims (what it creates) and its transaction (the batch record, counters, changes). */
  private writes(
    community: string,
    changes: BatchChanges,
    batchId: string,
  ): { claims: Claim[]; markers: Item[]; transaction: TransactItem[] } {
    const table = this.table.tableName;
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
      const item = this.table.commentItem(community, write.next);
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
        expiresAt: this.table.expiresAt(0),
      });
    }
    for (const write of changes.members) {
      const item = this.table.memberItem(community, write.next);
      if (write.previous) transaction.push(versioned(item, write.previous.version));
      else inserts.push(item);
    }
    for (const write of changes.threadEntries) {
      const item = this.table.entryItem(community, write.next);
      const marker = this.table.openMarker(community, write.next);
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
      expiresAt: this.table.expiresAt(0),
    }));

    const shard = shardOf(batchId);
    for (const [day, counters] of changes.counters) {
      const update = this.counterUpdate(key.kpi(community, shard, day), counters);
      if (update) transaction.push(update);
    }
    // The batch record: the claims' commit point, and the batch's member activity for its day.
    const activityDays = [...changes.memberDays.keys()].sort();
    const firstDay = activityDays[0] ?? [...days].sort()[0] ?? this.table.now().toISOString().slice(0, 10);
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
            expiresAt: this.table.expiresAt(MEMBER_DAYS_EXTRA_RETENTION),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    const batchAt = this.table.now().getTime();
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
    ) =>
      this.table.doc.send(
        new PutCommand({ TableName: this.table.tableName, Item: claim.item, ...condition }),
      );
    try {
      await put({ ConditionExpression: 'attribute_not_exists(pk)' });
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw new DependencyError('DynamoDB request failed', { cause: error });
    }
    const found = await this.table.call(() =>
      this.table.doc.send(
        new GetCommand({
          TableName: this.table.tableName,
          Key: { pk: claim.item.pk, sk: claim.item.sk },
          ConsistentRead: true,
        }),
      ),
    );
    const stamp = found.Item?.batch;
    if (typeof stamp !== 'string') return false;
    let outcome = (await this.table.outcomes(community, [stamp])).get(stamp) ?? 'pending';
    if (
      outcome === 'pending' &&
      this.table.now().getTime() - Number(found.Item?.batchAt ?? 0) > CLAIM_LEASE_MS
    )
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
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            ...key.batch(community, stamp),
            kind: 'batch',
            status: 'aborted',
            expiresAt: this.table.expiresAt(MEMBER_DAYS_EXTRA_RETENTION),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      this.table.remember(stamp, 'aborted');
      return 'conflict';
    } catch (error) {
      if (!isConditionFailure(error)) throw new DependencyError('DynamoDB request failed', { cause: error });
    }
    this.table.forget(stamp);
    return (await this.table.outcomes(community, [stamp])).get(stamp) === 'committed'
      ? 'committed'
      : 'conflict';
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
      writes.push({ Delete: { TableName: this.table.tableName, Key: before } });
    }
    if (after) writes.push({ Put: { TableName: this.table.tableName, Item: after } });
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
        TableName: this.table.tableName,
        Key: itemKey,
        UpdateExpression: `ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
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
    const items = await this.table.queryAll({
      TableName: this.table.tableName,
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
    return (await this.table.visible(community, items)).map(entryFromItem);
  }
}

function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (
    !(error instanceof TransactionCanceledException) &&
    (error as Error)?.name !== 'TransactionCanceledException'
  ) {
    return undefined;
  }
  return ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code);
}

const RETRYABLE_CANCELLATIONS = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict']);
