import type { Priority } from '../config/schema.ts';
import type { Notification } from './notification.ts';

/**
 * The outbox: every side effect the product owes (a team notification today; chat deliveries and
 * platform actions next) is an entry written *inside* the record whose change caused it — the
 * comment that was routed, the member who posted for the first time, the item that ran past its
 * SLA, the digest of a day — in the same DynamoDB write. One dispatcher, fed by the table's
 * change stream, delivers every entry that a write added. An entry is never removed: its presence
 * is the record that the effect is owed (and, once the stream has moved past it, done).
 *
 * Entries hold references, not rendered messages: the dispatcher renders them from the record's
 * image, so the record stays small. `at` is when the entry was decided; a notification rendered
 * twice from the same entry is byte-identical, id included.
 */
export type OutboxEntry =
  | { id: string; kind: 'comment.routed'; at: string; team: string; priority: Priority; rule: string }
  | { id: string; kind: 'member.welcome'; at: string; team: string }
  | { id: string; kind: 'sla.escalated'; at: string; team: string; level: 1 | 2 }
  /** Digests are rendered when decided (their figures are of that moment) and carried whole. */
  | { id: string; kind: 'digest'; at: string; team: string; notification: Notification };

export type OutboxKind = OutboxEntry['kind'];

/** The entries `after` holds that `before` did not: what a write added, so what is now owed. */
export function addedEntries(
  before: readonly OutboxEntry[] | undefined,
  after: readonly OutboxEntry[] | undefined,
): OutboxEntry[] {
  const known = new Set((before ?? []).map((entry) => entry.id));
  return (after ?? []).filter((entry) => !known.has(entry.id));
}

/** Stable ids: the same effect decided twice (a redelivery, a retry, a re-plan) has the same id. */
export const outboxId = {
  routed: (commentId: string, team: string) => `${commentId}#${team}`,
  welcome: (memberKey: string) => `welcome#${memberKey}`,
  escalation: (commentId: string, level: 1 | 2) => `escalation#${commentId}#${level}`,
};
