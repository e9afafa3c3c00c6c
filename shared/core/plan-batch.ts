import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import { addBusinessMillis } from '../domain/business-hours.ts';
import { localDay, localTime } from '../domain/calendar.ts';
import { type Classification, keptClassification } from '../domain/classification.ts';
import type { Comment, CommentEvent } from '../domain/comment.ts';
import { frtCounters } from '../domain/frt-sketch.ts';
import { addCounters, type Counters, commentCounters, counterDelta } from '../domain/kpi.ts';
import { type Member, memberKey, withComment } from '../domain/members.ts';
import { type OutboxEntry, outboxId } from '../domain/outbox.ts';
import { routeComment } from '../domain/routing.ts';
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
 * commits the changes as one unit and, on a conflict, reads again and plans again.
 *
 * `planBatch` is a pipeline of named steps, each pure and exported so that it can be tested alone:
 * `dedupeEvents` (what each event still does) → `applyCreations` → `applyChanges` (edits and
 * deletes) → `threadEffects` (items opened, withdrawn and answered, replies) → `memberEffects`
 * (members and their day’s activity) → `countersByDay`; the outbox entries are decided with the
 * records that owe them (`routedEntries`, `welcomeEntries`).
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

/** Answers decided in one plan at most (two writes each): the rest are decided by the next plan. */
export const MAX_ANSWERS_PER_PLAN = 40;

export function contextRequest(events: readonly CommentEvent[]): ContextRequest {
  const commentIds = new Set<string>();
  const memberKeys = new Set<string>();
  const threadIds = new Set<string>();
  let since = '~';
  for (const { comment } of events) {
    commentIds.add(comment.id);
    if (comment.parentId) commentIds.add(comment.parentId);
    if (isMember(comment.author)) memberKeys.add(memberKey(comment.platform, comment.author.id));
    threadIds.add(comment.threadId);
    if (comment.createdAt < since) since = comment.createdAt;
  }
  return { commentIds: [...commentIds], memberKeys: [...memberKeys], threadIds: [...threadIds], since };
}

/** Nothing to write. */
export function noChanges(): BatchChanges {
  return {
    comments: [],
    members: [],
    threadEntries: [],
    counters: new Map(),
    memberDays: new Map(),
    tombstones: [],
    overTombstones: new Set(),
  };
}

/** The change of one thread item (an escalation, a Mark handled), with the counters it adds on the item's day. */
export function itemChange(
  previous: ThreadItem,
  next: ThreadItem,
  counters: Record<string, number> = {},
): BatchChanges {
  return {
    ...noChanges(),
    threadEntries: [{ previous, next }],
    counters: new Map(Object.keys(counters).length ? [[previous.day, counters]] : []),
  };
}

// ---------------------------------------------------------------------------------------------
// Step 1: dedupe. What each event still does, given the store and the events before it in the batch.

export type Decision =
  /** A new comment (or an edit that overtook its creation). `deleted`: its deletion came first. */
  | {
      kind: 'record';
      event: CommentEvent;
      classification: Classification;
      deleted: boolean;
      /** A tombstone stands in the store where it goes. */
      overTombstone: boolean;
      /** Edit and delete events it already carries (the edit it was created from, the deletions before it). */
      events: string[];
    }
  /** A deletion of a comment not seen yet: remembered, so the creation is recorded as deleted. */
  | { kind: 'tombstone'; event: CommentEvent }
  | { kind: 'edit'; event: CommentEvent; classification: Classification }
  | { kind: 'delete'; event: CommentEvent }
  | { kind: 'duplicate' | 'ignored'; event: CommentEvent };

export function dedupeEvents(items: readonly PlannedEvent[], context: BatchContext): Decision[] {
  // Only existence and status matter here: what the comments become is decided by the next steps.
  const status = new Map<string, 'active' | 'deleted'>(
    [...context.comments].map(([id, c]) => [id, c.status]),
  );
  const seen = new Set(context.seenEvents);
  // Deleted before created: in the store, or earlier in this batch, with the events that did it.
  const gone = new Map([...context.tombstones].map(([id, events]) => [id, [...events]]));
  return items.map(({ event, classification }): Decision => {
    const id = event.comment.id;
    const existing = status.get(id);
    if (event.kind === 'created' || (event.kind === 'edited' && !existing)) {
      if (existing) return { kind: 'duplicate', event };
      if (!classification || (event.kind === 'edited' && seen.has(event.dedupeKey)))
        return { kind: 'ignored', event };
      const events = [...(gone.get(id) ?? [])];
      if (event.kind === 'edited') {
        seen.add(event.dedupeKey);
        events.push(event.dedupeKey);
      }
      const deleted = gone.has(id);
      status.set(id, deleted ? 'deleted' : 'active');
      return {
        kind: 'record',
        event,
        classification,
        deleted,
        overTombstone: context.tombstones.has(id),
        events,
      };
    }
    if (seen.has(event.dedupeKey)) return { kind: 'duplicate', event };
    if (!existing) {
      if (event.kind !== 'deleted' || gone.has(id)) return { kind: 'duplicate', event };
      seen.add(event.dedupeKey);
      gone.set(id, [event.dedupeKey]);
      return { kind: 'tombstone', event };
    }
    if (event.kind === 'deleted') {
      if (existing === 'deleted') return { kind: 'duplicate', event };
      seen.add(event.dedupeKey);
      status.set(id, 'deleted');
      return { kind: 'delete', event };
    }
    // An edit of a deleted comment changes nothing.
    if (existing === 'deleted' || !classification) return { kind: 'ignored', event };
    seen.add(event.dedupeKey);
    return { kind: 'edit', event, classification };
  });
}

// ---------------------------------------------------------------------------------------------
// Outbox entries, decided with the records that owe them.

/** The outbox entries a comment owes for its routes: one per team it has not been sent to yet. */
export function routedEntries(
  stored: StoredComment,
  owed: readonly OutboxEntry[],
  at: string,
): OutboxEntry[] {
  if (stored.status !== 'active') return [];
  const known = new Set(owed.map((entry) => entry.id));
  return stored.routes
    .map(
      (route): OutboxEntry => ({
        id: outboxId.routed(stored.comment.id, route.team),
        kind: 'comment.routed',
        at,
        ...route,
      }),
    )
    .filter((entry) => !known.has(entry.id));
}

/** A first-time poster is welcomed once, unless their first comment is deleted, spam or toxic. */
export function welcomeEntries(
  member: Member,
  first: StoredComment,
  community: CommunityConfig,
  at: string,
): OutboxEntry[] {
  if (!community.welcomeNewMembers || !welcomable(first)) return [];
  return [{ id: outboxId.welcome(member.key), kind: 'member.welcome', at, team: community.communityTeam }];
}

// ---------------------------------------------------------------------------------------------
// Step 2: creations.

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

// ---------------------------------------------------------------------------------------------
// Step 3: edits and deletes, in event order, each on the comment as the steps before left it.

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

// ---------------------------------------------------------------------------------------------
// Step 4: thread effects.

export interface ThreadEffects {
  entries: Versioned<ThreadEntry>[];
  counters: Map<string, Counters>;
}

function slaInstant(createdAt: string, minutes: number, community: CommunityConfig): string {
  const start = new Date(createdAt);
  const ms = minutes * 60_000;
  const end = community.businessHours
    ? addBusinessMillis(start, ms, { ...community.businessHours, timezone: community.timezone })
    : new Date(start.getTime() + ms);
  return end.toISOString();
}

/** The item a comment needing a reply opens. */
export function newItem(stored: StoredComment, community: CommunityConfig): ThreadItem {
  const c = stored.comment;
  return {
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
}

/** The response counters of an item answered at `answeredAt`. */
function answerCounters(item: ThreadItem, answeredAt: string): Counters {
  const counters: Counters = {
    ...frtCounters((Date.parse(answeredAt) - Date.parse(item.createdAt)) / 1000),
    answered: 1,
  };
  if (answeredAt <= item.dueAt) counters.answeredWithinSla = 1;
  return counters;
}

/**
 * What the thread owes after its entries changed: each open item with a brand reply after it is
 * answered by the first one, and an answered item whose earlier reply arrived late is answered by
 * it instead (the first response moves earlier). Deleted replies answer nothing more; items they
 * answered stay answered. Applied to every thread a batch reads, so a batch that raced another
 * one on the same thread (each missed the other's entry), or a crash, is repaired by whoever next
 * reads the thread. At most `limit` answers; the next plan decides the rest.
 */
export function reconcileThread(
  entries: readonly ThreadEntry[],
  limit = MAX_ANSWERS_PER_PLAN,
): { answered: ThreadItem[]; counters: Map<string, Counters> } {
  const counters = new Map<string, Counters>();
  const answered: ThreadItem[] = [];
  const items = entries
    .filter((e): e is ThreadItem => e.kind === 'item' && (e.status === 'open' || e.status === 'answered'))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.commentId.localeCompare(b.commentId));
  for (const item of items) {
    if (answered.length >= limit) break;
    const reply = firstReplyAfter(entries, item.createdAt);
    if (!reply) continue;
    if (item.status === 'answered' && (!item.answeredAt || item.answeredAt <= reply.createdAt)) continue;
    const delta = answerCounters(item, reply.createdAt);
    const day = counters.get(item.day) ?? {};
    if (item.status === 'answered' && item.answeredAt) {
      addCounters(day, counterDelta(answerCounters(item, item.answeredAt), delta));
    } else {
      addCounters(day, delta);
    }
    counters.set(item.day, day);
    answered.push({
      ...item,
      status: 'answered',
      answeredAt: reply.createdAt,
      answeredBy: reply.commentId,
      version: item.version + 1,
    });
  }
  return { answered, counters };
}

/**
 * The entries the batch's comments change — items opened (or reopened by an edit), withdrawn (a
 * deletion, or an edit that makes it need no reply), brand replies added or deleted — then every
 * thread read reconciled (`reconcileThread`).
 */
export function threadEffects(
  changes: readonly CommentChange[],
  threads: ReadonlyMap<string, readonly ThreadEntry[]>,
  community: CommunityConfig,
): ThreadEffects {
  const current = new Map([...threads].map(([id, entries]) => [id, [...entries]]));
  const originals = new Map<string, ThreadEntry>();
  for (const entries of threads.values()) for (const e of entries) originals.set(entryId(e), e);
  const writes = new Map<string, Versioned<ThreadEntry>>();
  const counters = new Map<string, Counters>();
  const count = (day: string, delta: Counters) =>
    counters.set(day, addCounters(counters.get(day) ?? {}, delta));
  const put = (next: ThreadEntry) => {
    const original = originals.get(entryId(next));
    writes.set(entryId(next), { next, ...(original ? { previous: original } : {}) });
    const entries = current.get(next.threadId) ?? [];
    current.set(next.threadId, [...entries.filter((e) => e.commentId !== next.commentId), next]);
  };
  const entryOf = (stored: StoredComment) =>
    (current.get(stored.comment.threadId) ?? []).find((e) => e.commentId === stored.comment.id);

  const open = (stored: StoredComment) => {
    const existing = entryOf(stored);
    if (existing?.kind === 'item') {
      // Edited away and back: an answered or open item stays as it is; a withdrawn one reopens.
      if (existing.status !== 'withdrawn') return;
      count(existing.day, { needsReply: 1 });
      put({ ...existing, status: 'open', version: existing.version + 1 });
      return;
    }
    count(stored.day, { needsReply: 1 });
    put(newItem(stored, community));
  };
  /** A deleted (or edited-away) comment stops waiting; a deleted brand reply answers nothing more. */
  const withdraw = (stored: StoredComment) => {
    const entry = entryOf(stored);
    if (entry?.kind === 'reply' && !entry.deleted) {
      put({ ...entry, deleted: true, version: entry.version + 1 });
      return;
    }
    if (entry?.kind !== 'item' || entry.status !== 'open') return;
    count(entry.day, { needsReply: -1 });
    put({ ...entry, status: 'withdrawn', version: entry.version + 1 });
  };

  for (const { decision, before, after } of changes) {
    const c = after.comment;
    if (decision.kind === 'record') {
      // Deleted before it reached us: counted, never waiting, never an answer.
      if (after.status !== 'active') continue;
      if (needsReply(c, after.classification)) open(after);
      else if (isBrandAnswer(c))
        put({ kind: 'reply', commentId: c.id, threadId: c.threadId, createdAt: c.createdAt, version: 1 });
    } else if (decision.kind === 'delete' && before) {
      withdraw(before);
    } else if (decision.kind === 'edit' && before) {
      const wasItem = needsReply(before.comment, before.classification);
      const isItem = needsReply(c, after.classification);
      if (wasItem && !isItem) withdraw(before);
      if (!wasItem && isItem) open(after);
    }
  }

  let budget = MAX_ANSWERS_PER_PLAN;
  for (const entries of current.values()) {
    const { answered, counters: answers } = reconcileThread(entries, budget);
    budget -= answered.length;
    for (const item of answered) put(item);
    for (const [day, delta] of answers) count(day, delta);
  }
  return { entries: [...writes.values()], counters };
}

function entryId(entry: ThreadEntry): string {
  return `${entry.threadId}|${entry.commentId}`;
}

// ---------------------------------------------------------------------------------------------
// Step 5: member effects.

export interface MemberEffects {
  members: Versioned<Member>[];
  /** Per-day member activity (`n:`, `h:`, `f:`, `x:` counts per member). */
  memberDays: Map<string, Counters>;
  /** KPI counters the members add (first-time posters). */
  counters: Map<string, Counters>;
}

/**
 * Each new comment of a member: the member record (written only when what is read back changes:
 * a new member, a new active day, a name) and the day's activity. A reply to another member's
 * comment is an answer given.
 */
export function memberEffects(
  created: readonly StoredComment[],
  members: ReadonlyMap<string, Member>,
  comments: ReadonlyMap<string, StoredComment>,
  community: CommunityConfig,
  at: string,
): MemberEffects {
  const current = new Map(members);
  const writes = new Map<string, Versioned<Member>>();
  const memberDays = new Map<string, Counters>();
  const counters = new Map<string, Counters>();
  const add = (into: Map<string, Counters>, day: string, delta: Counters) =>
    into.set(day, addCounters(into.get(day) ?? {}, delta));
  for (const stored of created) {
    const c = stored.comment;
    if (!isMember(c.author)) continue;
    const key = memberKey(c.platform, c.author.id);
    const parent = c.parentId ? comments.get(c.parentId) : undefined;
    const helped = Boolean(
      parent &&
        !parent.comment.author.isBrand &&
        memberKey(parent.comment.platform, parent.comment.author.id) !== key,
    );
    const previous = current.get(key);
    const next = withComment(previous, { key, name: c.author.name, id: c.id, day: stored.day });
    if (!previous) {
      const welcome = welcomeEntries(next, stored, community, at);
      if (welcome.length) next.outbox = welcome;
    }
    if (!previous || memberChanged(previous, next)) {
      const original = members.get(key);
      writes.set(key, { next, ...(original ? { previous: original } : {}) });
      current.set(key, next);
    }
    const flagged = stored.classification.toxic.flag || stored.classification.spam.flag;
    add(memberDays, stored.day, {
      [`n:${key}`]: 1,
      ...(helped ? { [`h:${key}`]: 1 } : {}),
      ...(flagged ? { [`x:${key}`]: 1 } : {}),
      ...(previous ? {} : { [`f:${key}`]: 1 }),
    });
    if (!previous) add(counters, stored.day, { firstTimePosters: 1 });
  }
  return { members: [...writes.values()], memberDays, counters };
}

function memberChanged(previous: Member, next: Member): boolean {
  return (
    previous.name !== next.name ||
    previous.firstSeenDay !== next.firstSeenDay ||
    previous.lastActiveDay !== next.lastActiveDay ||
    previous.streak !== next.streak ||
    previous.longestStreak !== next.longestStreak
  );
}

// ---------------------------------------------------------------------------------------------
// Step 6: counters.

/** Adds up per-day counters; counters that cancel out are dropped, and so are days left empty. */
export function countersByDay(...parts: readonly ReadonlyMap<string, Counters>[]): Map<string, Counters> {
  const total = new Map<string, Counters>();
  for (const part of parts)
    for (const [day, delta] of part) total.set(day, addCounters(total.get(day) ?? {}, delta));
  for (const [day, counters] of total) {
    for (const [name, value] of Object.entries(counters)) if (value === 0) delete counters[name];
    if (Object.keys(counters).length === 0) total.delete(day);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------

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
  const decisions = dedupeEvents(items, context);
  const creations = applyCreations(decisions, community, config, at);
  const comments = new Map(context.comments);
  for (const { after } of creations) comments.set(after.comment.id, after);
  const edits = applyChanges(decisions, comments, community, config, at);
  const commentChanges = [...creations, ...edits];
  for (const { after } of edits) comments.set(after.comment.id, after);

  const threads = threadEffects(commentChanges, context.threads, community);
  const members = memberEffects(
    creations.map((c) => c.after),
    context.members,
    comments,
    community,
    at,
  );

  // One write per comment: the state it has after the batch, against the version read.
  const commentWrites = new Map<string, Versioned<StoredComment>>();
  for (const { after } of commentChanges) {
    const original = context.comments.get(after.comment.id);
    commentWrites.set(after.comment.id, { next: after, ...(original ? { previous: original } : {}) });
  }
  const recorded = new Set(creations.map((c) => c.after.comment.id));
  const changes: BatchChanges = {
    comments: [...commentWrites.values()],
    members: members.members,
    threadEntries: threads.entries,
    counters: countersByDay(...commentChanges.map((c) => c.counters), threads.counters, members.counters),
    memberDays: countersByDay(members.memberDays),
    // A deletion and the creation it overtook in the same batch: one write, the comment itself.
    tombstones: decisions
      .filter((d) => d.kind === 'tombstone' && !recorded.has(d.event.comment.id))
      .map((d) => ({ commentId: d.event.comment.id, events: [d.event.dedupeKey] })),
    overTombstones: new Set(
      decisions.filter((d) => d.kind === 'record' && d.overTombstone).map((d) => d.event.comment.id),
    ),
  };
  return {
    changes,
    outcomes: decisions.map(outcomeOf),
    results: items.map(({ event }) => comments.get(event.comment.id)),
  };
}

function outcomeOf(decision: Decision): EventOutcome {
  switch (decision.kind) {
    case 'record':
      return 'recorded';
    case 'tombstone':
    case 'edit':
    case 'delete':
      return 'changed';
    default:
      return decision.kind;
  }
}

/** A member is a person we can tell apart: not the brand, not a bot, not an author the platform left unnamed. */
function isMember(author: CommentEvent['comment']['author']): boolean {
  return !author.isBrand && !author.isAutomated && !author.unidentified;
}

/** Nobody is welcomed for a deleted, spam or toxic first comment. */
function welcomable(stored: StoredComment): boolean {
  return stored.status === 'active' && !stored.classification.spam.flag && !stored.classification.toxic.flag;
}
