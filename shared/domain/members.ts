import { addDays } from './calendar.ts';
import type { Author } from './comment.ts';
import type { OutboxEntry } from './outbox.ts';

/**
 * What the product keeps about a member: only what is read back (names, streaks, the welcome).
 * How many comments and answers a member wrote in a window is read from the per-day member
 * activity, so the record changes at most once a day per member. The whole record expires
 * `retentionDays` after the member's last active day (DynamoDB TTL), names included.
 */
export interface Member {
  /** `<platform>:<platform author id>`: the same person on two platforms cannot be told apart. */
  key: string;
  name: string;
  firstSeenDay: string;
  firstCommentId: string;
  lastActiveDay: string;
  /** Consecutive days with at least one comment, ending on lastActiveDay. */
  streak: number;
  longestStreak: number;
  /** The welcome owed to a first-time poster, written with the member's creation. */
  outbox?: OutboxEntry[];
  version: number;
}

/** A member is a person we can tell apart: not the brand, not a bot, not an author the platform left unnamed. */
export function isMember(author: Author): boolean {
  return !author.isBrand && !author.isAutomated && !author.unidentified;
}

export function memberKey(platform: string, authorId: string): string {
  return `${platform}:${authorId}`;
}

/**
 * The member after one more comment on `day`; a comment from an earlier day (late delivery) leaves
 * the streak alone. Applying the same comment twice gives the same member: a second comment on a
 * day already counted changes nothing but, at most, the name.
 */
export function withComment(
  previous: Member | undefined,
  comment: { key: string; name: string; id: string; day: string },
): Member {
  if (!previous) {
    return {
      key: comment.key,
      name: comment.name,
      firstSeenDay: comment.day,
      firstCommentId: comment.id,
      lastActiveDay: comment.day,
      streak: 1,
      longestStreak: 1,
      version: 1,
    };
  }
  const next: Member = {
    ...previous,
    name: comment.name || previous.name,
    // ISO dates compare as strings.
    firstSeenDay: [comment.day, previous.firstSeenDay].sort()[0] as string,
    version: previous.version + 1,
  };
  if (comment.day > previous.lastActiveDay) {
    next.streak = addDays(previous.lastActiveDay, 1) === comment.day ? previous.streak + 1 : 1;
    next.lastActiveDay = comment.day;
    next.longestStreak = Math.max(previous.longestStreak, next.streak);
  }
  return next;
}
