import type { ChatTarget } from '../config/schema.ts';
import type { KeptClassification } from '../domain/classification.ts';
import type { Comment, CommentEvent } from '../domain/comment.ts';
import type { Counters } from '../domain/kpi.ts';
import type { Member } from '../domain/members.ts';
import type { Notification } from '../domain/notification.ts';
import type { OutboxEntry } from '../domain/outbox.ts';
import type { Route } from '../domain/routing.ts';
import type { ThreadEntry, ThreadItem } from '../domain/threads.ts';
import type { SourceSecret } from '../platforms/source.ts';

/** Where the ingest function hands verified events to the process function (SQS in AWS and locally). */
export interface CommentQueue {
  enqueue(events: readonly CommentEvent[]): Promise<void>;
}

/** Signing keys of the configured sources (Secrets Manager in AWS, dev secrets locally). */
export interface SecretStore {
  sourceSecret(sourceId: string): Promise<SourceSecret>;
}

/** Publishes to a team's topic (SNS in AWS and locally). Only the outbox dispatcher calls it. */
export interface Notifier {
  publish(notification: Notification): Promise<void>;
}

/** A comment as the store keeps it: what it said, how it was read, where it went, what it counted. */
export interface StoredComment {
  comment: Comment;
  classification: KeptClassification;
  routes: Route[];
  /** The KPI day (community time zone) the comment counts on. */
  day: string;
  /** What this comment currently adds to its day's KPI counters; an edit moves exactly this. */
  counters: Counters;
  status: 'active' | 'deleted';
  version: number;
  /** The notifications owed per routed team, written with the comment: one per team, ever. */
  outbox: OutboxEntry[];
  /** The edit and delete events applied to it (their dedupe keys), so that a redelivered one is known. */
  events?: string[];
}

/** What the store knows before a batch is planned: everything the batch may read or change. */
export interface BatchContext {
  comments: Map<string, StoredComment>;
  /** Edit and delete events already applied (their dedupe keys): those of the comments and tombstones read. */
  seenEvents: Set<string>;
  members: Map<string, Member>;
  /**
   * The entries of each thread the batch touches that can still matter: its brand replies, its open
   * items, the items answered later than the request's `since`, and the entries of the comments read.
   */
  threads: Map<string, ThreadEntry[]>;
  /** Comments deleted before their creation reached us, with the delete events applied. */
  tombstones: Map<string, string[]>;
}

export interface ContextRequest {
  commentIds: string[];
  memberKeys: string[];
  threadIds: string[];
  /**
   * The earliest creation time among the batch's comments: an item answered at or before it cannot
   * be answered earlier by any of them, so it need not be read.
   */
  since: string;
}

/** A record to write, with the version it must still have (none: it must not exist yet). */
export interface Versioned<T> {
  next: T;
  previous?: T;
}

/**
 * Everything one batch changes. It is committed as one unit: all of it or none of it, and a
 * record written is visible (and counted) only once the whole batch is.
 */
export interface BatchChanges {
  comments: Versioned<StoredComment>[];
  members: Versioned<Member>[];
  threadEntries: Versioned<ThreadEntry>[];
  /** Added to the KPI counters of each day. */
  counters: Map<string, Counters>;
  /**
   * Per-day member activity: `n:<member>` comments, `h:<member>` answers to others, `f:<member>`
   * first comment, `x:<member>` toxic or spam comments.
   */
  memberDays: Map<string, Counters>;
  /** Comments deleted before they were created here, with the delete events that did it. */
  tombstones: { commentId: string; events: string[] }[];
  /** New comments written where a tombstone stands (their creation arrived after their deletion). */
  overTombstones: Set<string>;
}

/**
 * `conflict`: something changed since the context was read (or a duplicate raced in): read again
 * and re-plan. `too-large`: more writes than one commit takes: plan fewer events at a time.
 */
export type CommitResult = 'committed' | 'conflict' | 'too-large';

export interface CommentStore {
  loadContext(community: string, request: ContextRequest): Promise<BatchContext>;
  commit(community: string, changes: BatchChanges): Promise<CommitResult>;
  get(community: string, commentId: string): Promise<StoredComment | undefined>;
  comments(community: string, commentIds: readonly string[]): Promise<StoredComment[]>;
}

/** The index of items still waiting for a brand reply, for the SLA watch and the read API. */
export interface OpenItemStore {
  dueItems(community: string, now: Date): Promise<ThreadItem[]>;
  openItems(community: string): Promise<ThreadItem[]>;
  threadItem(community: string, threadId: string, commentId: string): Promise<ThreadItem | undefined>;
}

export interface KpiStore {
  /** Counters per day (YYYY-MM-DD, community time zone) for the days that have any, both ends included. */
  readDays(community: string, from: string, to: string): Promise<Map<string, Counters>>;
  /** Member activity per day: `n:<member>` comments, `h:<member>` answers to others, `f:<member>` first comment. */
  readMemberDays(community: string, from: string, to: string): Promise<Map<string, Counters>>;
}

/** Members by key, for names and streaks. */
export interface MemberStore {
  members(community: string, memberKeys: readonly string[]): Promise<Member[]>;
}

/**
 * Once-only effects (a digest for a date): the first `record` of a key writes the record with its
 * outbox entry and answers 'recorded'; every later one changes nothing and answers 'done'.
 */
export interface OnceStore {
  recordOnce(key: string, entry: OutboxEntry, expiresAt: Date): Promise<'recorded' | 'done'>;
}

/** Where a polled feed stands between runs. */
export interface FeedCursor {
  /** Items at or after this time (ISO) are new to the next walk; older ones were covered. */
  since: string;
  /** A walk in progress: the next page to read and the newest item time the walk has seen. */
  walk?: { pageToken: string; newest: string };
}

/**
 * Where poller cursors live between runs. A save never moves a cursor's `since` back behind one
 * already saved (an overlapping, slower run): it throws CursorMovedOnError instead
 * (shared/adapters/dynamodb-cursor-store.ts); an equal `since` is accepted.
 */
export interface CursorStore {
  load(key: string): Promise<FeedCursor | undefined>;
  save(key: string, cursor: FeedCursor): Promise<void>;
}

/** A record's change that added outbox entries, as the dispatcher receives it from the change stream. */
export interface OutboxChange {
  /** The change's position in its stream shard (a decimal string; later changes compare greater). */
  sequence: string;
  community: string;
  /** What the entries are about: the record as it is after the change. */
  subject:
    | { kind: 'comment'; comment: StoredComment }
    | { kind: 'member'; member: Member }
    | { kind: 'item'; item: ThreadItem }
    | { kind: 'once' };
  entries: OutboxEntry[];
}

/**
 * Where each stream shard's dispatcher stands, so that a re-attempt after a crash is known: an
 * attempt is begun before the first delivery of a batch and ended after the last. `begin`
 * answers the previous attempt when it never ended (its deliveries may have gone out already).
 */
export interface DispatchProgressStore {
  begin(
    shard: string,
    first: string,
    last: string,
    now: Date,
  ): Promise<{ unfinished?: { first: string; last: string; through?: string } }>;
  end(shard: string, through: string | undefined, now: Date): Promise<void>;
}

/** Outbox changes no retry can deliver (an unknown team or community, an unreadable record). */
export interface DeadLetters {
  send(change: OutboxChange | { sequence: string; raw: unknown }, reason: string): Promise<void>;
}

/**
 * What one post to a chat target came to. `retry`: throttled (429, with the wait it asked for) or
 * failing for now (5xx, network). `gone`: the target no longer exists or no longer lets us in
 * (webhook removed, channel archived, token revoked): no retry will help until a person fixes
 * it. `rejected`: the target refused this message itself (malformed, too large).
 */
export type ChatPostOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; reason: string; afterMs?: number }
  | { kind: 'gone'; reason: string }
  | { kind: 'rejected'; reason: string };

/** A chat target of a team, and the message rendered for its format. */
export interface ChatPost {
  team: string;
  target: ChatTarget;
  notificationId: string;
  /** Block Kit, the Teams Workflows envelope, or the Chatbot custom notification. */
  payload: unknown;
}

/** Posts to one kind of chat target (Slack, Teams, Chatbot); reports the outcome, throws only for defects. */
export interface ChatPoster {
  post(post: ChatPost): Promise<ChatPostOutcome>;
}

/** Credentials of chat targets (Secrets Manager in AWS, dev values locally), by team and target id. */
export interface ChatSecretStore {
  chatSecret(team: string, targetId: string): Promise<string>;
}

/**
 * Per (notification id, target): what is done, so a re-attempt of a batch posts only to the
 * targets not done yet; and per target, whether it is known to be broken, so a broken target
 * raises one alert rather than one per notification.
 */
export interface DeliveryLog {
  /** Targets of this notification already done: sent, or given up on (dead). */
  done(notificationId: string): Promise<Map<string, 'sent' | 'dead'>>;
  record(
    notificationId: string,
    target: string,
    state: 'sent' | 'dead',
    now: Date,
    reason?: string,
  ): Promise<void>;
  /** Records the target as broken; true when it was not known broken already (then alert). */
  markBroken(target: string, reason: string, now: Date): Promise<boolean>;
}

/** A message for the people who run the deployment (the alarm topic in AWS). */
export interface OperatorAlerts {
  alert(subject: string, text: string): Promise<void>;
}
