import type { CommunityConfig } from '../../config/schema.ts';
import { addCounters, type Counters } from '../../domain/kpi.ts';
import { isMember, type Member, memberKey, withComment } from '../../domain/members.ts';
import type { StoredComment, Versioned } from '../ports.ts';
import { welcomeEntries } from './outbox.ts';

/** Step 5 of planning a batch: the members who wrote the new comments, and their day's activity. */

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
