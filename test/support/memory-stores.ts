import { CursorMovedOnError } from '../../shared/adapters/dynamodb-cursor-store.ts';
import type {
  BatchChanges,
  BatchContext,
  CommentStore,
  CommitResult,
  ContextRequest,
  CursorStore,
  DispatchProgressStore,
  FeedCursor,
  KpiStore,
  MemberStore,
  OnceStore,
  OpenItemStore,
  StoredComment,
} from '../../shared/core/ports.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { addCounters, type Counters } from '../../shared/domain/kpi.ts';
import type { Member } from '../../shared/domain/members.ts';
import type { OutboxEntry } from '../../shared/domain/outbox.ts';
import type { ThreadEntry, ThreadItem } from '../../shared/domain/threads.ts';

/**
 * The store ports in memory, for tests only (nothing in shared/, functions/ or infra/ imports this
 * file). They keep the promises the DynamoDB adapters keep and that the core relies on — the
 * contract suites in test/integration/store-contracts.test.ts run the same cases against both:
 * a commit is all or nothing; a record written with a version conflicts when that version is no
 * longer the one stored, a new one when its key is taken; counters add up per day; an open item
 * is listed until it is answered or withdrawn, due by its next escalation; a once-only key is
 * recorded once. Values go in and come out as copies, as they would through a database.
 */
export class MemoryTable {
  readonly comments = new Map<string, StoredComment>();
  /** Tombstones by comment key, with the delete events applied. */
  readonly tombstones = new Map<string, string[]>();
  readonly members = new Map<string, Member>();
  /** Thread entries by thread key, then by comment id. */
  readonly threads = new Map<string, Map<string, ThreadEntry>>();
  readonly kpis = new Map<string, Map<string, Counters>>();
  readonly memberDays = new Map<string, Map<string, Counters>>();
  readonly once = new Map<string, OutboxEntry>();
  /** Commits made, conflicts answered: for tests that count them. */
  commits = 0;
  conflicts = 0;
}

const at = (community: string, id: string) => `${community}|${id}`;
const copy = <T>(value: T): T => structuredClone(value);

export class MemoryCommentStore implements CommentStore {
  constructor(readonly table: MemoryTable = new MemoryTable()) {}

  async loadContext(community: string, request: ContextRequest): Promise<BatchContext> {
    const t = this.table;
    const comments = new Map<string, StoredComment>();
    const tombstones = new Map<string, string[]>();
    for (const id of request.commentIds) {
      const stored = t.comments.get(at(community, id));
      if (stored) comments.set(id, copy(stored));
      const tombstone = t.tombstones.get(at(community, id));
      if (tombstone) tombstones.set(id, [...tombstone]);
    }
    const threadIds = new Set([
      ...request.threadIds,
      ...[...comments.values()].map((c) => c.comment.threadId),
    ]);
    const seenEvents = new Set<string>();
    for (const c of comments.values()) for (const e of c.events ?? []) seenEvents.add(e);
    for (const events of tombstones.values()) for (const e of events) seenEvents.add(e);
    const members = new Map<string, Member>();
    for (const k of request.memberKeys) {
      const member = t.members.get(at(community, k));
      if (member) members.set(k, copy(member));
    }
    return {
      comments,
      tombstones,
      seenEvents,
      members,
      // Every entry: more than the port promises (ports.ts), never less.
      threads: new Map(
        [...threadIds].map((id) => [id, [...(t.threads.get(at(community, id))?.values() ?? [])].map(copy)]),
      ),
    };
  }

  async commit(community: string, changes: BatchChanges): Promise<CommitResult> {
    const t = this.table;
    const key = (id: string) => at(community, id);
    const entriesOf = (threadId: string) => t.threads.get(key(threadId));
    const fits = <T extends { version: number }>(current: T | undefined, previous: T | undefined) =>
      previous ? current?.version === previous.version : current === undefined;
    // Every condition first, then every write: all of it or none of it.
    const ok =
      changes.comments.every((w) => {
        const id = key(w.next.comment.id);
        if (w.previous) return t.comments.get(id)?.version === w.previous.version;
        if (changes.overTombstones.has(w.next.comment.id)) return t.tombstones.has(id) && !t.comments.has(id);
        return !t.comments.has(id) && !t.tombstones.has(id);
      }) &&
      changes.tombstones.every(
        (s) => !t.comments.has(key(s.commentId)) && !t.tombstones.has(key(s.commentId)),
      ) &&
      changes.members.every((w) => fits(t.members.get(key(w.next.key)), w.previous)) &&
      changes.threadEntries.every((w) => fits(entriesOf(w.next.threadId)?.get(w.next.commentId), w.previous));
    if (!ok) {
      t.conflicts += 1;
      return 'conflict';
    }
    for (const { next } of changes.comments) {
      t.tombstones.delete(key(next.comment.id));
      t.comments.set(key(next.comment.id), copy(next));
    }
    for (const { commentId, events } of changes.tombstones) t.tombstones.set(key(commentId), [...events]);
    for (const { next } of changes.members) t.members.set(key(next.key), copy(next));
    for (const { next } of changes.threadEntries) {
      const entries = entriesOf(next.threadId) ?? new Map<string, ThreadEntry>();
      entries.set(next.commentId, copy(next));
      t.threads.set(key(next.threadId), entries);
    }
    addDays(t.kpis, community, changes.counters);
    addDays(t.memberDays, community, changes.memberDays);
    if (changes.comments.length || changes.threadEntries.length || changes.tombstones.length) t.commits += 1;
    return 'committed';
  }

  async get(community: string, commentId: string): Promise<StoredComment | undefined> {
    const stored = this.table.comments.get(at(community, commentId));
    return stored ? copy(stored) : undefined;
  }

  async comments(community: string, commentIds: readonly string[]): Promise<StoredComment[]> {
    return commentIds.flatMap((id) => {
      const stored = this.table.comments.get(at(community, id));
      return stored ? [copy(stored)] : [];
    });
  }
}

function addDays(into: Map<string, Map<string, Counters>>, community: string, days: Map<string, Counters>) {
  const all = into.get(community) ?? new Map<string, Counters>();
  // Counters that come back to 0 stay, as DynamoDB's ADD leaves them.
  for (const [day, counters] of days) all.set(day, addCounters({ ...(all.get(day) ?? {}) }, counters));
  into.set(community, all);
}

/** When an open item is next due: its SLA, then twice its SLA, then never. */
function nextActionAt(item: ThreadItem): string | undefined {
  if (item.escalationLevel === 0) return item.dueAt;
  if (item.escalationLevel === 1) return item.escalateAgainAt;
  return undefined;
}

export class MemoryOpenItemStore implements OpenItemStore {
  constructor(readonly table: MemoryTable = new MemoryTable()) {}

  private open(community: string): ThreadItem[] {
    const items: ThreadItem[] = [];
    for (const [threadKey, entries] of this.table.threads) {
      if (!threadKey.startsWith(`${community}|`)) continue;
      for (const entry of entries.values())
        if (entry.kind === 'item' && entry.status === 'open') items.push(copy(entry));
    }
    return items;
  }

  async dueItems(community: string, now: Date): Promise<ThreadItem[]> {
    const upTo = now.toISOString();
    return this.open(community).filter((item) => {
      const due = nextActionAt(item);
      return due !== undefined && due <= upTo;
    });
  }

  async openItems(community: string): Promise<ThreadItem[]> {
    return this.open(community).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async threadItem(community: string, threadId: string, commentId: string): Promise<ThreadItem | undefined> {
    const entry = this.table.threads.get(at(community, threadId))?.get(commentId);
    return entry?.kind === 'item' ? copy(entry) : undefined;
  }
}

export class MemoryKpiStore implements KpiStore {
  constructor(readonly table: MemoryTable = new MemoryTable()) {}

  async readDays(community: string, from: string, to: string) {
    return range(this.table.kpis.get(community), from, to);
  }

  async readMemberDays(community: string, from: string, to: string) {
    return range(this.table.memberDays.get(community), from, to);
  }
}

function range(days: Map<string, Counters> | undefined, from: string, to: string): Map<string, Counters> {
  return new Map(
    [...(days ?? [])]
      .filter(([day]) => day >= from && day <= to)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, counters]) => [day, { ...counters }]),
  );
}

export class MemoryMemberStore implements MemberStore {
  constructor(readonly table: MemoryTable = new MemoryTable()) {}

  async members(community: string, memberKeys: readonly string[]): Promise<Member[]> {
    return memberKeys.flatMap((k) => {
      const member = this.table.members.get(at(community, k));
      return member ? [copy(member)] : [];
    });
  }
}

export class MemoryOnceStore implements OnceStore {
  constructor(readonly table: MemoryTable = new MemoryTable()) {}

  async recordOnce(key: string, entry: OutboxEntry): Promise<'recorded' | 'done'> {
    if (this.table.once.has(key)) return 'done';
    this.table.once.set(key, copy(entry));
    return 'recorded';
  }
}

/** Every store port over one table in memory, as dynamoStores() gives them over one DynamoDB table. */
export function memoryStores(table: MemoryTable = new MemoryTable()) {
  return {
    table,
    comments: new MemoryCommentStore(table),
    kpis: new MemoryKpiStore(table),
    members: new MemoryMemberStore(table),
    items: new MemoryOpenItemStore(table),
    once: new MemoryOnceStore(table),
  };
}

export class MemoryCursorStore implements CursorStore {
  readonly cursors = new Map<string, FeedCursor>();

  async load(key: string) {
    const cursor = this.cursors.get(key);
    return cursor ? copy(cursor) : undefined;
  }

  async save(key: string, cursor: FeedCursor) {
    const since = Date.parse(cursor.since);
    if (!Number.isFinite(since))
      throw new ValidationError(`cursor of ${key}: since "${cursor.since}" is not a date`);
    const saved = this.cursors.get(key);
    if (saved && Date.parse(saved.since) > since) throw new CursorMovedOnError(key);
    this.cursors.set(key, copy(cursor));
  }
}

export class MemoryDispatchProgress implements DispatchProgressStore {
  private readonly attempts = new Map<
    string,
    { first?: string; last?: string; through?: string; open: boolean }
  >();

  async begin(shard: string, first: string, last: string) {
    const previous = this.attempts.get(shard);
    this.attempts.set(shard, { first, last, open: true });
    if (!previous?.open) return {};
    return {
      unfinished: {
        first: previous.first ?? '',
        last: previous.last ?? '',
        ...(previous.through ? { through: previous.through } : {}),
      },
    };
  }

  async end(shard: string, through: string | undefined) {
    this.attempts.set(shard, { ...(through ? { through } : {}), open: false });
  }
}

/**
 * A comment store whose first `parties` context reads all wait for one another: the batches that
 * use it are planned on the same reading of the table, then commit in whatever order they reach
 * the store — an explicit interleaving, with no clock involved.
 */
export class PlannedTogether implements CommentStore {
  private waiting: (() => void)[] = [];
  private arrived = 0;

  constructor(
    private readonly inner: CommentStore,
    private readonly parties: number,
  ) {}

  async loadContext(community: string, request: ContextRequest): Promise<BatchContext> {
    const context = await this.inner.loadContext(community, request);
    if (this.arrived < this.parties) {
      this.arrived += 1;
      const all = new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.arrived === this.parties) for (const release of this.waiting) release();
      await all;
    }
    return context;
  }

  commit(community: string, changes: BatchChanges) {
    return this.inner.commit(community, changes);
  }

  get(community: string, commentId: string) {
    return this.inner.get(community, commentId);
  }

  comments(community: string, commentIds: readonly string[]) {
    return this.inner.comments(community, commentIds);
  }
}
