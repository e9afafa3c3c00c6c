import type { Classification } from '../domain/classification.ts';
import type { Comment, CommentEvent } from '../domain/comment.ts';
import type { Counters } from '../domain/kpi.ts';
import type { Notification } from '../domain/notification.ts';
import type { Route } from '../domain/routing.ts';
import type { SourceSecret } from '../platforms/source.ts';

/** Where the ingest function hands verified events to the process function (SQS in AWS and locally). */
export interface CommentQueue {
  enqueue(events: readonly CommentEvent[]): Promise<void>;
}

/** Signing keys of the configured sources (Secrets Manager in AWS, dev secrets locally). */
export interface SecretStore {
  sourceSecret(sourceId: string): Promise<SourceSecret>;
}

/** Publishes to a team's topic (SNS in AWS and locally). */
export interface Notifier {
  publish(notification: Notification): Promise<void>;
}

/** A comment as the store keeps it: what it said, how it was read, where it went, what it counted. */
export interface StoredComment {
  comment: Comment;
  classification: Classification;
  routes: Route[];
  /** The KPI day (community time zone) the comment counts on. */
  day: string;
  /** What this comment currently adds to its day's KPI counters; an edit moves exactly this. */
  counters: Counters;
  status: 'active' | 'deleted';
  version: number;
  /** Teams already notified: a redelivery or an edit never notifies a team twice. */
  notifiedTeams: string[];
}

export interface RecordResult {
  /** Comments stored by this call, their counters added. */
  recorded: StoredComment[];
  /** Comments that were already stored (a redelivery): nothing was counted for them. */
  duplicates: StoredComment[];
}

/** An edit or delete: the new state of a stored comment, applied only if nobody changed it meanwhile. */
export interface CommentChange {
  eventKey: string;
  next: StoredComment;
  expectedVersion: number;
  /** What to add to the KPI counters of `next.day` (may hold negative values). */
  delta: Counters;
}

export type ChangeResult = 'applied' | 'duplicate' | 'conflict';

export interface CommentStore {
  /** Stores new comments and adds their counters, atomically and exactly once per comment id. */
  recordNew(community: string, comments: readonly StoredComment[]): Promise<RecordResult>;
  get(community: string, commentId: string): Promise<StoredComment | undefined>;
  applyChange(community: string, change: CommentChange): Promise<ChangeResult>;
  markNotified(community: string, commentId: string, teams: readonly string[]): Promise<void>;
}

export interface KpiStore {
  /** Counters per day (YYYY-MM-DD, community time zone) for the days that have any, both ends included. */
  readDays(community: string, from: string, to: string): Promise<Map<string, Counters>>;
}

/** Remembers that a once-only action (a digest for a date) was done. */
export interface OnceStore {
  wasDone(key: string): Promise<boolean>;
  markDone(key: string, expiresAt: Date): Promise<void>;
}
