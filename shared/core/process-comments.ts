import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import type { Classification, Classifier } from '../domain/classification.ts';
import type { CommentEvent } from '../domain/comment.ts';
import { DependencyError, ValidationError } from '../domain/errors.ts';
import { addedEntries, type OutboxEntry } from '../domain/outbox.ts';
import { contextRequest, type PlannedEvent, planBatch } from './plan-batch.ts';
import type { BatchChanges, CommentStore, ContextRequest, Versioned } from './ports.ts';

export interface ProcessDeps {
  config: AutopilotConfig;
  /** Each community has its own classification policy (Comprehend off, always, when uncertain). */
  classifierFor(community: CommunityConfig): Classifier;
  store: CommentStore;
  now?: () => Date;
}

export interface ProcessReport {
  /** Indexes (in the input) of the events that must be retried. */
  failed: { index: number; error: unknown }[];
  recorded: number;
  duplicates: number;
  changed: number;
  /** Outbox entries (notifications) the committed writes added; the dispatcher delivers them. */
  owed: number;
}

/** Events planned and committed together; fewer when a commit would take too many writes. */
const CHUNK = 25;
/** A conflict means another batch wrote what this one read (or is still writing it): enough tries for a burst. */
const MAX_ATTEMPTS = 12;

/**
 * The queue consumer's use case, per community and chunk of events: read what the chunk touches,
 * classify what is new, plan every write (plan-batch.ts), commit it as one unit and, if anything
 * moved in between, read and plan again. Counting is exactly once. Then the threads the chunk
 * added items or replies to are read again: a batch committed meanwhile on the same thread may
 * have missed this one's entry (and this one its), so an answer owed by either is decided now.
 * Nothing is published here: the notifications owed are outbox entries inside the records the
 * commit writes, and the outbox dispatcher delivers them from the table's change stream.
 */
export async function processCommentEvents(
  events: readonly CommentEvent[],
  deps: ProcessDeps,
): Promise<ProcessReport> {
  const report: ProcessReport = { failed: [], recorded: 0, duplicates: 0, changed: 0, owed: 0 };
  const now = deps.now ?? (() => new Date());
  const communities = new Map(deps.config.communities.map((c) => [c.id, c]));

  const groups = new Map<CommunityConfig, number[]>();
  events.forEach((event, index) => {
    const community = communities.get(event.comment.community);
    if (!community)
      report.failed.push({
        index,
        error: new ValidationError(`unknown community "${event.comment.community}"`),
      });
    else groups.set(community, [...(groups.get(community) ?? []), index]);
  });

  for (const [community, indexes] of groups) {
    // Each event is classified once, across conflict retries and chunk splits.
    const classified = new Map<CommentEvent, Classification>();
    const pending = [...indexes];
    let size = CHUNK;
    while (pending.length > 0) {
      const chunk = pending.slice(0, size);
      try {
        const chunkEvents = chunk.map((index) => events[index] as CommentEvent);
        const outcome = await commitChunk(community, chunkEvents, classified, deps, now().toISOString());
        if (outcome === 'too-large' && size > 1) {
          size = Math.max(1, Math.floor(size / 2));
          continue;
        }
        if (outcome === 'too-large')
          throw new DependencyError('one event needs more writes than a DynamoDB transaction takes');
        pending.splice(0, chunk.length);
        size = CHUNK;
        chunk.forEach((_, i) => {
          const result = outcome.outcomes[i];
          if (result === 'recorded') report.recorded += 1;
          else if (result === 'changed') report.changed += 1;
          else report.duplicates += 1;
        });
        report.owed += owedEntries(outcome.changes);
        await settleThreads(community, outcome.changes, deps, now().toISOString());
      } catch (error) {
        // Retried with the message (a classifier or store failure); the local engine alone never throws.
        pending.splice(0, chunk.length);
        for (const index of chunk) report.failed.push({ index, error });
      }
    }
  }
  report.failed.sort((a, b) => a.index - b.index);
  return report;
}

/**
 * Reads what the chunk touches, classifies only the events not already known (a redelivery costs
 * no Comprehend units), plans and commits; on a conflict, reads and plans again.
 */
async function commitChunk(
  community: CommunityConfig,
  chunk: CommentEvent[],
  classified: Map<CommentEvent, Classification>,
  deps: ProcessDeps,
  at: string,
) {
  const request = contextRequest(chunk);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const context = await deps.store.loadContext(community.id, request);
    const unknown = chunk.filter(
      (e) =>
        !classified.has(e) &&
        e.kind !== 'deleted' &&
        !(e.kind === 'created' && context.comments.has(e.comment.id)) &&
        !(e.kind === 'edited' && context.seenEvents.has(e.dedupeKey)),
    );
    if (unknown.length) {
      const results = await deps
        .classifierFor(community)
        .classify(
          unknown.map((e) => ({ id: e.comment.id, text: e.comment.classifierText ?? e.comment.text })),
        );
      unknown.forEach((e, i) => {
        classified.set(e, results[i] as Classification);
      });
    }
    const planned: PlannedEvent[] = chunk.map((event) => ({ event, classification: classified.get(event) }));
    const plan = planBatch(planned, context, community, deps.config, at);
    const result = await deps.store.commit(community.id, plan.changes);
    if (result === 'committed') return plan;
    if (result === 'too-large') return 'too-large' as const;
    // Someone else wrote what this batch read: wait a little, read again, plan again.
    await backOff(attempt);
  }
  throw new DependencyError(
    `the batch kept conflicting with concurrent writes after ${MAX_ATTEMPTS} attempts`,
  );
}

/**
 * The threads the changes added an entry to (or reopened an item in), where a concurrent batch may
 * have raced this one, and the earliest of those entries.
 */
function racedThreads(changes: BatchChanges): ContextRequest {
  const threads = new Set<string>();
  let since = '~';
  for (const { next, previous } of changes.threadEntries) {
    const reopened =
      next.kind === 'item' &&
      next.status === 'open' &&
      previous?.kind === 'item' &&
      previous.status !== 'open';
    if (previous && !reopened) continue;
    threads.add(next.threadId);
    if (next.createdAt < since) since = next.createdAt;
  }
  return { commentIds: [], memberKeys: [], threadIds: [...threads], since };
}

/**
 * Reads the threads again, now that the chunk is committed, and commits what they still owe
 * (answers a concurrent batch and this one each missed): whichever of two racing batches commits
 * second sees both entries here. Nothing is written when nothing is owed.
 */
async function settleThreads(
  community: CommunityConfig,
  committed: BatchChanges,
  deps: ProcessDeps,
  at: string,
): Promise<void> {
  const request = racedThreads(committed);
  if (request.threadIds.length === 0) return;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const context = await deps.store.loadContext(community.id, request);
    const { changes } = planBatch([], context, community, deps.config, at);
    if (changes.threadEntries.length === 0) return;
    const result = await deps.store.commit(community.id, changes);
    if (result === 'too-large')
      throw new DependencyError('answering a thread needs more writes than one commit takes');
    // Committed: read again, in case the thread owed more answers than one plan decides.
    if (result === 'conflict') await backOff(attempt);
  }
  throw new DependencyError(`settling threads kept conflicting after ${MAX_ATTEMPTS} attempts`);
}

function backOff(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random())));
}

function owedEntries(changes: BatchChanges): number {
  const added = <T extends { outbox?: { id: string }[] }>(w: Versioned<T>) =>
    addedEntries(w.previous?.outbox as OutboxEntry[], w.next.outbox as OutboxEntry[]).length;
  return (
    changes.comments.reduce((n, w) => n + added(w), 0) + changes.members.reduce((n, w) => n + added(w), 0)
  );
}
