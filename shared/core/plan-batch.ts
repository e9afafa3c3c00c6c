import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import { addBusinessMillis } from '../domain/business-hours.ts';
import { localDay, localTime } from '../domain/calendar.ts';
import type { Classification } from '../domain/classification.ts';
import type { CommentEvent } from '../domain/comment.ts';
import { frtCounters } from '../domain/frt-sketch.ts';
import { addCounters, type Counters, commentCounters, counterDelta } from '../domain/kpi.ts';
import { type Member, memberKey, withComment } from '../domain/members.ts';
import { type OutboxEntry, outboxId } from '../domain/outbox.ts';
import { type Route, routeComment } from '../domain/routing.ts';
import {
  firstReplyAfter,
  isBrandAnswer,
  needsReply,
  type ThreadEntry,
  type ThreadItem,
} from '../domain/threads.ts';
import type { BatchChanges, BatchContext, ContextRequest, StoredComment, Versioned } from './ports.ts';

/**
 * The pure heart of processing: given a chunk of events, their classifications and what the store
 * holds, decide every record and counter to write. No I/O here: the caller reads the context,
 * commits the changes in one transaction and, on a conflict, reads again and plans again.
 */
export interface PlannedEvent {
  event: CommentEvent;
  classification?: Classification;
}

export type EventOutcome = 'recorded' | 'changed' | 'duplicate' | 'ignored';

export interface Plan {
  changes: BatchChanges;
  outcomes: EventOutcome[];
  /** The comment as it stands after the batch, per event. */
  results: (StoredComment | undefined)[];
}

/** A brand reply closes at most this many open items of its thread in one go (transaction size). */
const MAX_ITEMS_CLOSED_PER_REPLY = 20;

export function contextRequest(events: readonly CommentEvent[]): ContextRequest {
  const commentIds = new Set<string>();
  const eventKeys = new Set<string>();
  const memberKeys = new Set<string>();
  const threadIds = new Set<string>();
  for (const { kind, dedupeKey, comment } of events) {
    commentIds.add(comment.id);
    if (comment.parentId) commentIds.add(comment.parentId);
    if (kind !== 'created') eventKeys.add(dedupeKey);
    if (isMember(comment.author)) memberKeys.add(memberKey(comment.platform, comment.author.id));
    threadIds.add(comment.threadId);
  }
  return {
    commentIds: [...commentIds],
    eventKeys: [...eventKeys],
    memberKeys: [...memberKeys],
    threadIds: [...threadIds],
  };
}

function slaInstant(createdAt: string, minutes: number, community: CommunityConfig): string {
  const start = new Date(createdAt);
  const ms = minutes * 60_000;
  const end = community.businessHours
    ? addBusinessMillis(start, ms, { ...community.businessHours, timezone: community.timezone })
    : new Date(start.getTime() + ms);
  return end.toISOString();
}

/** The outbox entries a comment owes for its routes: one per team it has not been sent to yet. */
function routedEntries(
  commentId: string,
  routes: readonly Route[],
  owed: readonly OutboxEntry[],
  at: string,
) {
  const known = new Set(owed.map((entry) => entry.id));
  return routes
    .map(
      (route): OutboxEntry => ({
        id: outboxId.routed(commentId, route.team),
        kind: 'comment.routed',
        at,
        ...route,
      }),
    )
    .filter((entry) => !known.has(entry.id));
}

/**
 * `at`: when the batch is processed; the outbox entries the batch decides carry it, so the
 * notifications rendered from them are the same however often they are rendered.
 */
export function planBatch(
  items: readonly PlannedEvent[],
  context: BatchContext,
  community: CommunityConfig,
  config: AutopilotConfig,
  at: string,
): Plan {
  const comments = new Map(context.comments);
  const members = new Map(context.members);
  const threads = new Map([...context.threads].map(([id, entries]) => [id, [...entries]]));
  const seen = new Set(context.seenEvents);

  // Originals of what the batch touches, so each record is written once with the version it was read at.
  const commentWrites = new Map<string, Versioned<StoredComment>>();
  const memberWrites = new Map<string, Versioned<Member>>();
  const entryWrites = new Map<string, Versioned<ThreadEntry>>();
  const eventKeys: string[] = [];
  const tombstones: string[] = [];
  const overTombstones = new Set<string>();
  // Deleted before created, in the store or earlier in this batch.
  const gone = new Set(context.tombstones);
  const touchedThreads = new Map<string, number | undefined>();
  const counters = new Map<string, Counters>();
  const memberDays = new Map<string, Counters>();

  const count = (day: string, delta: Counters) =>
    counters.set(day, addCounters(counters.get(day) ?? {}, delta));
  const countMember = (day: string, delta: Counters) =>
    memberDays.set(day, addCounters(memberDays.get(day) ?? {}, delta));
  const putComment = (next: StoredComment) => {
    const write = commentWrites.get(next.comment.id);
    commentWrites.set(next.comment.id, {
      next,
      ...(write ? { previous: write.previous } : prev(context.comments.get(next.comment.id))),
    });
    comments.set(next.comment.id, next);
  };
  const putMember = (next: Member) => {
    const write = memberWrites.get(next.key);
    memberWrites.set(next.key, {
      next,
      ...(write ? { previous: write.previous } : prev(context.members.get(next.key))),
    });
    members.set(next.key, next);
  };
  const putEntry = (next: ThreadEntry) => {
    const original = context.threads.get(next.threadId)?.find((e) => e.commentId === next.commentId);
    entryWrites.set(`${next.threadId}|${next.commentId}`, { next, ...prev(original) });
    touchedThreads.set(next.threadId, context.threadVersions.get(next.threadId));
    const entries = threads.get(next.threadId) ?? [];
    threads.set(next.threadId, [...entries.filter((e) => e.commentId !== next.commentId), next]);
  };

  const answer = (item: ThreadItem, replyAt: string, replyId: string) => {
    const frtSeconds = (Date.parse(replyAt) - Date.parse(item.createdAt)) / 1000;
    const delta: Counters = { ...frtCounters(frtSeconds), answered: 1 };
    if (replyAt <= item.dueAt) delta.answeredWithinSla = 1;
    if (item.status === 'answered' && item.answeredAt) {
      // An earlier reply arrived late: the first response moves earlier.
      const old: Counters = {
        ...frtCounters((Date.parse(item.answeredAt) - Date.parse(item.createdAt)) / 1000),
        answered: 1,
      };
      if (item.answeredAt <= item.dueAt) old.answeredWithinSla = 1;
      count(item.day, counterDelta(old, delta));
    } else {
      count(item.day, delta);
    }
    putEntry({
      ...item,
      status: 'answered',
      answeredAt: replyAt,
      answeredBy: replyId,
      version: item.version + 1,
    });
  };

  const openItem = (stored: StoredComment) => {
    const c = stored.comment;
    const existing = (threads.get(c.threadId) ?? []).find(
      (e): e is ThreadItem => e.kind === 'item' && e.commentId === c.id,
    );
    if (existing) {
      // Edited away and back: an answered or open item stays as it is; a withdrawn one reopens.
      if (existing.status !== 'withdrawn') return;
      const reopened: ThreadItem = { ...existing, status: 'open', version: existing.version + 1 };
      count(existing.day, { needsReply: 1 });
      putEntry(reopened);
      const reply = firstReplyAfter(threads.get(c.threadId) ?? [], c.createdAt);
      if (reply) answer(reopened, reply.createdAt, reply.commentId);
      return;
    }
    const item: ThreadItem = {
      kind: 'item',
      commentId: c.id,
      threadId: c.threadId,
      createdAt: c.createdAt,
      day: stored.day,
      team: stored.routes[0]?.team ?? community.communityTeam,
      dueAt: slaInstant(c.createdAt, community.slaMinutes, community),
      escalateAgainAt: slaInstant(c.createdAt, community.slaMinutes * 2, community),
      status: 'open',
      escalationLevel: 0,
      version: 1,
    };
    count(stored.day, { needsReply: 1 });
    putEntry(item);
    const reply = firstReplyAfter(threads.get(c.threadId) ?? [], c.createdAt);
    if (reply) answer(item, reply.createdAt, reply.commentId);
  };

  /** A deleted (or edited-away) comment stops waiting; a deleted brand reply answers nothing more. */
  const withdraw = (stored: StoredComment) => {
    const entry = (threads.get(stored.comment.threadId) ?? []).find((e) => e.commentId === stored.comment.id);
    if (entry?.kind === 'reply' && !entry.deleted) {
      putEntry({ ...entry, deleted: true, version: entry.version + 1 });
      return;
    }
    if (entry?.kind !== 'item' || entry.status !== 'open') return;
    count(entry.day, { needsReply: -1 });
    putEntry({ ...entry, status: 'withdrawn', version: entry.version + 1 });
  };

  const replyInThread = (stored: StoredComment) => {
    const c = stored.comment;
    putEntry({ kind: 'reply', commentId: c.id, threadId: c.threadId, createdAt: c.createdAt, version: 1 });
    const answerable = (threads.get(c.threadId) ?? [])
      .filter(
        (e): e is ThreadItem =>
          e.kind === 'item' &&
          e.createdAt < c.createdAt &&
          (e.status === 'open' || (e.status === 'answered' && (e.answeredAt ?? '') > c.createdAt)),
      )
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .slice(0, MAX_ITEMS_CLOSED_PER_REPLY);
    for (const item of answerable) answer(item, c.createdAt, c.id);
  };

  const record = (event: CommentEvent, classification: Classification, deleted = false): StoredComment => {
    const c = event.comment;
    const routes = routeComment(c, classification, config.routing);
    const day = localDay(c.createdAt, community.timezone);
    const hour = localTime(new Date(c.createdAt), community.timezone).hour;
    const stored: StoredComment = {
      comment: c,
      classification,
      routes,
      day,
      counters: commentCounters(c, classification, routes, { hour }),
      status: deleted ? 'deleted' : 'active',
      version: 1,
      outbox: deleted ? [] : routedEntries(c.id, routes, [], at),
    };
    putComment(stored);
    count(day, deleted ? { ...stored.counters, deleted: 1 } : stored.counters);

    if (isMember(c.author)) {
      const key = memberKey(c.platform, c.author.id);
      const parent = c.parentId ? comments.get(c.parentId) : undefined;
      const helped = Boolean(
        parent &&
          !parent.comment.author.isBrand &&
          memberKey(parent.comment.platform, parent.comment.author.id) !== key,
      );
      const previous = members.get(key);
      const next = withComment(previous, { key, name: c.author.name, id: c.id, day, helped });
      if (!previous && community.welcomeNewMembers && welcomable(stored)) {
        next.outbox = [
          { id: outboxId.welcome(key), kind: 'member.welcome', at, team: community.communityTeam },
        ];
      }
      putMember(next);
      const flagged = classification.toxic.flag || classification.spam.flag;
      countMember(day, {
        [`n:${key}`]: 1,
        ...(helped ? { [`h:${key}`]: 1 } : {}),
        ...(flagged ? { [`x:${key}`]: 1 } : {}),
      });
      if (!previous) {
        count(day, { firstTimePosters: 1 });
        countMember(day, { [`f:${key}`]: 1 });
      }
    }
    if (deleted) return stored; // deleted before it reached us: counted, never waiting, never an answer
    if (needsReply(c, classification)) openItem(stored);
    else if (isBrandAnswer(c)) replyInThread(stored);
    return stored;
  };

  const outcomes: EventOutcome[] = [];
  const results: (StoredComment | undefined)[] = [];
  for (const { event, classification } of items) {
    const existing = comments.get(event.comment.id);
    if (event.kind === 'created' || (event.kind === 'edited' && !existing)) {
      if (existing || !classification) {
        outcomes.push(existing ? 'duplicate' : 'ignored');
        results.push(existing);
        continue;
      }
      if (event.kind === 'edited') {
        // An edit that overtook its creation: the edited text is the comment.
        seen.add(event.dedupeKey);
        eventKeys.push(event.dedupeKey);
      }
      const id = event.comment.id;
      if (context.tombstones.has(id)) overTombstones.add(id);
      // Deleted earlier in this same batch: one write for the comment's key, the comment itself.
      if (tombstones.includes(id)) tombstones.splice(tombstones.indexOf(id), 1);
      results.push(record(event, classification, gone.has(id)));
      outcomes.push('recorded');
      continue;
    }
    if (seen.has(event.dedupeKey)) {
      outcomes.push('duplicate');
      results.push(existing);
      continue;
    }
    if (!existing) {
      seen.add(event.dedupeKey);
      eventKeys.push(event.dedupeKey);
      if (event.kind === 'deleted' && !gone.has(event.comment.id)) {
        // A deletion that overtook the creation: remembered, so the creation is recorded as deleted.
        gone.add(event.comment.id);
        tombstones.push(event.comment.id);
        outcomes.push('changed');
      } else {
        outcomes.push(event.kind === 'deleted' ? 'duplicate' : 'ignored');
      }
      results.push(undefined);
      continue;
    }
    seen.add(event.dedupeKey);
    eventKeys.push(event.dedupeKey);
    if (event.kind === 'deleted') {
      if (existing.status === 'deleted') {
        outcomes.push('duplicate');
        results.push(existing);
        continue;
      }
      const next: StoredComment = { ...existing, status: 'deleted', version: existing.version + 1 };
      putComment(next);
      count(existing.day, { deleted: 1 });
      withdraw(existing);
      outcomes.push('changed');
      results.push(next);
      continue;
    }
    if (existing.status === 'deleted') {
      outcomes.push('ignored'); // an edit of a deleted comment changes nothing
      results.push(existing);
      continue;
    }
    // edited: classified again; it keeps its day, creation time, place in its thread, author and notified teams.
    const cls = classification as Classification;
    const comment = {
      ...event.comment,
      createdAt: existing.comment.createdAt,
      threadId: existing.comment.threadId,
      author: existing.comment.author,
      ...(existing.comment.parentId ? { parentId: existing.comment.parentId } : {}),
    };
    const routes = routeComment(comment, cls, config.routing);
    const hour = localTime(new Date(comment.createdAt), community.timezone).hour;
    const nextCounters = commentCounters(comment, cls, routes, { hour });
    const next: StoredComment = {
      ...existing,
      comment,
      classification: cls,
      routes,
      counters: nextCounters,
      // A team the edit routes to for the first time is told; the others already were.
      outbox: [...existing.outbox, ...routedEntries(comment.id, routes, existing.outbox, at)],
      version: existing.version + 1,
    };
    putComment(next);
    count(existing.day, { ...counterDelta(existing.counters, nextCounters), edited: 1 });
    const wasItem = needsReply(existing.comment, existing.classification);
    const isItem = needsReply(comment, cls);
    if (wasItem && !isItem) withdraw(existing);
    if (!wasItem && isItem) openItem(next);
    outcomes.push('changed');
    results.push(next);
  }

  return {
    changes: {
      comments: [...commentWrites.values()],
      eventKeys,
      members: [...memberWrites.values()],
      threadEntries: [...entryWrites.values()],
      counters,
      memberDays,
      threads: touchedThreads,
      tombstones,
      overTombstones,
    },
    outcomes,
    results,
  };
}

/** A member is a person we can tell apart: not the brand, not a bot, not an author the platform left unnamed. */
function isMember(author: CommentEvent['comment']['author']): boolean {
  return !author.isBrand && !author.isAutomated && !author.unidentified;
}

/** Nobody is welcomed for a deleted, spam or toxic first comment. */
function welcomable(stored: StoredComment): boolean {
  return stored.status === 'active' && !stored.classification.spam.flag && !stored.classification.toxic.flag;
}

function prev<T>(value: T | undefined): { previous?: T } {
  return value === undefined ? {} : { previous: value };
}
