import type { CommunityConfig } from '../../config/schema.ts';
import type { Member } from '../../domain/members.ts';
import { type OutboxEntry, outboxId } from '../../domain/outbox.ts';
import type { StoredComment } from '../ports.ts';

/** The outbox entries a batch owes, decided with the records that carry them (domain/outbox.ts). */

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

/** Nobody is welcomed for a deleted, spam or toxic first comment. */
function welcomable(stored: StoredComment): boolean {
  return stored.status === 'active' && !stored.classification.spam.flag && !stored.classification.toxic.flag;
}
