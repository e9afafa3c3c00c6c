import type { CommunityConfig } from '../../config/schema.ts';
import { addBusinessMillis } from '../../domain/business-hours.ts';
import { frtCounters } from '../../domain/frt-sketch.ts';
import { addCounters, type Counters, counterDelta } from '../../domain/kpi.ts';
import {
  firstReplyAfter,
  isBrandAnswer,
  needsReply,
  type ThreadEntry,
  type ThreadItem,
} from '../../domain/threads.ts';
import type { StoredComment, Versioned } from '../ports.ts';
import type { CommentChange } from './comment-changes.ts';

/** Step 4 of planning a batch: the items and replies the comment changes open, withdraw and answer. */

/** Answers decided in one plan at most (two writes each): the rest are decided by the next plan. */
export const MAX_ANSWERS_PER_PLAN = 40;

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
