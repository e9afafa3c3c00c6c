import { addDays } from './calendar.ts';
import type { OutboxEntry } from './outbox.ts';

/**
 * What the product keeps about a member: only what the KPIs need. The whole record expires
 * `retentionDays` after the member's last comment (DynamoDB TTL), names included.
 */
export interface Member {
  /** `<platform>:<platform author id>`: the same person on two platforms cannot be told apart. */
  key: string;
  name: string;
  firstSeenDay: string;
  firstCommentId: string;
  lastActiveDay: string;
  comments: number;
  /** Replies to another member's comment. */
  answersGiven: number;
  /** Consecutive days with at least one comment, ending on lastActiveDay. */
  streak: number;
  longestStreak: number;
  /** The welcome owed to a first-time poster, written with the member's creation. */
  outbox?: OutboxEntry[];
  version: number;
}

export function memberKey(platform: string, authorId: string): string {
  return `${platform}:${authorId}`;
}

/** The member after one more comment on `day`; a comment from an earlier day (late delivery) leaves the streak alone. */
export function withComment(
  previous: Member | undefined,
  comment: { key: string; name: string; id: string; day: string; helped: boolean },
): Member {
  if (!previous) {
    return {
      key: comment.key,
      name: comment.name,
      firstSeenDay: comment.day,
      firstCommentId: comment.id,
      lastActiveDay: comment.day,
      comments: 1,
      answersGiven: comment.helped ? 1 : 0,
      streak: 1,
      longestStreak: 1,
      version: 1,
    };
  }
  const next: Member = {
    ...previous,
    name: comment.name || previous.name,
    comments: previous.comments + 1,
    answersGiven: previous.answersGiven + (comment.helped ? 1 : 0),
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
