import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import type { CommentEvent } from '../domain/comment.ts';
import { isMember, memberKey } from '../domain/members.ts';
import type { ThreadItem } from '../domain/threads.ts';
import { applyChanges, applyCreations } from './planning/comment-changes.ts';
import { countersByDay } from './planning/counters.ts';
import { type Decision, dedupeEvents, type PlannedEvent } from './planning/dedupe.ts';
import { memberEffects } from './planning/member-effects.ts';
import { threadEffects } from './planning/thread-effects.ts';
import type { BatchChanges, BatchContext, ContextRequest, StoredComment, Versioned } from './ports.ts';

export type { PlannedEvent } from './planning/dedupe.ts';

/**
 * The pure heart of processing: given a chunk of events, their classifications and what the store
 * holds, decide every record and counter to write. No I/O here: the caller reads the context,
 * commits the changes as one unit and, on a conflict, reads again and plans again.
 *
 * `planBatch` is a pipeline of named steps, each pure, in a module of its own under planning/ and
 * tested alone: `dedupeEvents` (what each event still does) → `applyCreations` → `applyChanges`
 * (edits and deletes) → `threadEffects` (items opened, withdrawn and answered, replies) →
 * `memberEffects` (members and their day's activity) → `countersByDay`; the outbox entries are
 * decided with the records that owe them (planning/outbox.ts: `routedEntries`, `welcomeEntries`).
 */
export type EventOutcome = 'recorded' | 'changed' | 'duplicate' | 'ignored';

export interface Plan {
  changes: BatchChanges;
  outcomes: EventOutcome[];
  /** The comment as it stands after the batch, per event. */
  results: (StoredComment | undefined)[];
}

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
