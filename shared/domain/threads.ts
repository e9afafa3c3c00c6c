import type { Classification, Intent } from './classification.ts';
import type { Comment } from './comment.ts';

/**
 * Response-time bookkeeping. A thread holds the items that need a brand reply and the brand's
 * replies; the first (non-automated) brand reply after an item, in the same thread, answers it.
 */
export const NEEDS_REPLY_INTENTS: readonly Intent[] = ['question', 'complaint', 'suggestion'];

/** A member's question, complaint or suggestion that is neither spam nor toxic (DESIGN.md). */
export function needsReply(comment: Comment, classification: Classification): boolean {
  if (comment.author.isBrand || comment.author.isAutomated) return false;
  if (classification.spam.flag || classification.toxic.flag) return false;
  return classification.intents.some((intent) => NEEDS_REPLY_INTENTS.includes(intent));
}

/** Replies from brand accounts answer members; automated ones (bots, our own auto-replies) never do. */
export function isBrandAnswer(comment: Comment): boolean {
  return comment.author.isBrand && !comment.author.isAutomated;
}

export interface ThreadItem {
  kind: 'item';
  commentId: string;
  threadId: string;
  createdAt: string;
  /** The day (community time zone) the item counts on: its response counters go there. */
  day: string;
  team: string;
  /** When the SLA runs out (opening hours taken into account), and when it is twice over. */
  dueAt: string;
  escalateAgainAt: string;
  status: 'open' | 'answered' | 'withdrawn';
  answeredAt?: string;
  answeredBy?: string;
  /** 0: not escalated, 1: escalated to the owning team, 2: escalated again to the escalation team. */
  escalationLevel: number;
  /** The level whose notification is confirmed sent; below escalationLevel while one is being sent. */
  escalationSent?: number;
  /** When the escalation being sent was claimed (a claim older than its lease is from a crashed run). */
  escalationClaimedAt?: string;
  version: number;
}

/** An escalation claimed but not confirmed for this long is taken to be from a crashed run. */
export const ESCALATION_LEASE_MS = 10 * 60_000;

/** The escalation level whose notification went out (items from before that field: their level). */
export function sentLevel(item: ThreadItem): number {
  return item.escalationSent ?? item.escalationLevel;
}

export interface ThreadReply {
  kind: 'reply';
  commentId: string;
  threadId: string;
  createdAt: string;
  /** Deleted by its author: items it answered stay answered, later ones are not. */
  deleted?: boolean;
  version: number;
}

export type ThreadEntry = ThreadItem | ThreadReply;

/** The earliest brand reply strictly after `createdAt`, if any. */
export function firstReplyAfter(entries: readonly ThreadEntry[], createdAt: string): ThreadReply | undefined {
  let first: ThreadReply | undefined;
  for (const entry of entries) {
    if (entry.kind !== 'reply' || entry.deleted || entry.createdAt <= createdAt) continue;
    if (!first || entry.createdAt < first.createdAt) first = entry;
  }
  return first;
}
