import type { AutopilotConfig, CommunityConfig } from '../../config/schema.ts';
import { localDay, localTime } from '../../domain/calendar.ts';
import { keptClassification } from '../../domain/classification.ts';
import type { Comment } from '../../domain/comment.ts';
import { type Counters, commentCounters, counterDelta } from '../../domain/kpi.ts';
import { routeComment } from '../../domain/routing.ts';
import type { StoredComment } from '../ports.ts';
import type { Decision } from './dedupe.ts';
import { routedEntries } from './outbox.ts';

/**
 * Steps 2 and 3 of planning a batch: the comments the events create, then the edits and deletes
 * applied to them, each with what it adds to the KPI counters.
 */

/** One event's change to one comment. */
export interface CommentChange {
  decision: Decision;
  /** The comment before the batch (none for a creation). */
  before?: StoredComment;
  after: StoredComment;
  /** What the change adds to the KPI counters, per day. */
  counters: Map<string, Counters>;
}

/** What a comment counts on its day: derived from what it is, so an edit can move exactly this. */
export function storedCounters(
  comment: Comment,
  classification: StoredComment['classification'],
  routes: StoredComment['routes'],
  community: CommunityConfig,
): Counters {
  const hour = localTime(new Date(comment.createdAt), community.timezone).hour;
  return commentCounters(comment, classification, routes, { hour });
}

export function applyCreations(
  decisions: readonly Decision[],
  community: CommunityConfig,
  config: AutopilotConfig,
  at: string,
): CommentChange[] {
  const changes: CommentChange[] = [];
  for (const decision of decisions) {
    if (decision.kind !== 'record') continue;
    const c = decision.event.comment;
    const classification = keptClassification(decision.classification);
    const routes = routeComment(c, classification, config.routing);
    const day = localDay(c.createdAt, community.timezone);
    const stored: StoredComment = {
      comment: c,
      classification,
      routes,
      day,
      counters: storedCounters(c, classification, routes, community),
      status: decision.deleted ? 'deleted' : 'active',
      version: 1,
      outbox: [],
      ...(decision.events.length ? { events: decision.events } : {}),
    };
    stored.outbox = routedEntries(stored, [], at);
    const counted = decision.deleted ? { ...stored.counters, deleted: 1 } : stored.counters;
    changes.push({ decision, after: stored, counters: new Map([[day, counted]]) });
  }
  return changes;
}

/** Edits and deletes, in event order, each on the comment as the steps before left it. */
export function applyChanges(
  decisions: readonly Decision[],
  comments: ReadonlyMap<string, StoredComment>,
  community: CommunityConfig,
  config: AutopilotConfig,
  at: string,
): CommentChange[] {
  const current = new Map(comments);
  const changes: CommentChange[] = [];
  for (const decision of decisions) {
    if (decision.kind !== 'edit' && decision.kind !== 'delete') continue;
    const existing = current.get(decision.event.comment.id);
    if (!existing) continue; // dedupe only lets through changes of comments that exist
    const events = [...(existing.events ?? []), decision.event.dedupeKey];
    let next: StoredComment;
    let counters: Counters;
    if (decision.kind === 'delete') {
      next = { ...existing, status: 'deleted', version: existing.version + 1, events };
      counters = { deleted: 1 };
    } else {
      // Classified again; it keeps its day, creation time, place in its thread, author and notified teams.
      const comment: Comment = {
        ...decision.event.comment,
        createdAt: existing.comment.createdAt,
        threadId: existing.comment.threadId,
        author: existing.comment.author,
        ...(existing.comment.parentId ? { parentId: existing.comment.parentId } : {}),
      };
      const classification = keptClassification(decision.classification);
      const routes = routeComment(comment, classification, config.routing);
      next = {
        ...existing,
        comment,
        classification,
        routes,
        counters: storedCounters(comment, classification, routes, community),
        version: existing.version + 1,
        events,
      };
      // A team the edit routes to for the first time is told; the others already were.
      next.outbox = [...existing.outbox, ...routedEntries(next, existing.outbox, at)];
      counters = { ...counterDelta(existing.counters, next.counters), edited: 1 };
    }
    current.set(next.comment.id, next);
    changes.push({ decision, before: existing, after: next, counters: new Map([[existing.day, counters]]) });
  }
  return changes;
}
