import type { Intent, KeptClassification } from './classification.ts';
import type { Comment } from './comment.ts';
import type { OutboxEntry } from './outbox.ts';

/**
 * Response-time bookkeeping. A thread holds the items that need a brand reply and the brand's
 * replies; the first (non-automated) brand reply after an item, in the same thread, answers it.
 */
export const NEEDS_REPLY_INTENTS: readonly Intent[] = ['question', 'complaint', 'suggestion'];

/** A member's question, complaint or suggestion that is neither spam nor toxic (DESIGN.md). */
export function needsReply(comment: Comment, classification: KeptClassification): boolean {
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
  /**
   * `handled`: closed by a person who answered off-platform (a call, a DM) and said so from chat:
   * no brand reply exists, so it counts in no first-response-time figure.
   */
  status: 'open' | 'answered' | 'withdrawn' | 'handled';
  answeredAt?: string;
  answeredBy?: string;
  handled?: ChatActor & { at: string };
  /** Who took the item on, from chat. */
  assignee?: ChatActor & { at: string };
  /** 0: not escalated, 1: escalated to the owning team, 2: escalated again to the escalation team. */
  escalationLevel: number;
  /** The escalations owed, written with the level they raise the item to. */
  outbox?: OutboxEntry[];
  version: number;
}

/** A person acting from a chat tool (a Slack user clicking a button). */
export interface ChatActor {
  via: 'slack';
  id: string;
  name?: string;
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
