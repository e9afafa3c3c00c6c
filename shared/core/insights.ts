import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import { addDays, localDay } from '../domain/calendar.ts';
import { ValidationError } from '../domain/errors.ts';
import { sumCounters } from '../domain/kpi.ts';
import type { Member } from '../domain/members.ts';
import type { CommentStore, KpiStore, MemberStore, OpenItemStore } from './ports.ts';
import { findCommunity } from './read-kpis.ts';

/** The read side beyond raw KPIs: who to thank, who is new, what still waits for an answer. */

export interface RecognitionEntry {
  member: string;
  name: string;
  comments: number;
  answersGiven: number;
  streak: number | null;
}

export interface Recognition {
  community: string;
  from: string;
  to: string;
  /** Ranked by comments in the window, then by answers to other members. */
  topContributors: RecognitionEntry[];
  /** Ranked by answers given to other members. */
  helpers: RecognitionEntry[];
  /** Members whose first comment is in the window. */
  newcomers: RecognitionEntry[];
}

export async function recognition(
  community: CommunityConfig,
  from: string,
  to: string,
  deps: { kpis: KpiStore; members: MemberStore },
  limit = 10,
): Promise<Recognition> {
  const days = await deps.kpis.readMemberDays(community.id, from, to);
  const totals = sumCounters(days.values());
  const comments = new Map<string, number>();
  const helped = new Map<string, number>();
  const firsts = new Set<string>();
  const flagged = new Set<string>();
  for (const [name, value] of Object.entries(totals)) {
    const kind = name.slice(0, 2);
    const member = name.slice(2);
    if (kind === 'n:') comments.set(member, value);
    if (kind === 'h:' && value > 0) helped.set(member, value);
    if (kind === 'f:' && value > 0) firsts.add(member);
    if (kind === 'x:' && value > 0) flagged.add(member);
  }
  // Nobody is thanked or welcomed for a window in which they posted something toxic or spam.
  for (const member of flagged) {
    comments.delete(member);
    helped.delete(member);
    firsts.delete(member);
  }
  const byComments = [...comments.keys()].sort(
    (a, b) =>
      (comments.get(b) ?? 0) - (comments.get(a) ?? 0) ||
      (helped.get(b) ?? 0) - (helped.get(a) ?? 0) ||
      a.localeCompare(b),
  );
  const top = byComments.slice(0, limit);
  const helpers = [...helped.keys()]
    .sort((a, b) => (helped.get(b) ?? 0) - (helped.get(a) ?? 0) || a.localeCompare(b))
    .slice(0, limit);
  const newcomers = [...firsts].sort().slice(0, limit * 3);
  const known = new Map(
    (await deps.members.members(community.id, [...new Set([...top, ...helpers, ...newcomers])])).map((m) => [
      m.key,
      m,
    ]),
  );
  const entry = (key: string): RecognitionEntry => {
    const member: Member | undefined = known.get(key);
    return {
      member: key,
      // A member whose record has expired (retention) is shown by key only.
      name: member?.name || key,
      comments: comments.get(key) ?? 0,
      answersGiven: helped.get(key) ?? 0,
      streak: member ? (member.lastActiveDay === to ? member.streak : 0) : null,
    };
  };
  return {
    community: community.id,
    from,
    to,
    topContributors: top.map(entry),
    helpers: helpers.map(entry),
    newcomers: newcomers.map(entry),
  };
}

export async function topMembers(
  query: { community?: string; days?: string },
  deps: { config: AutopilotConfig; kpis: KpiStore; members: MemberStore; now?: () => Date },
): Promise<Recognition> {
  const community = findCommunity(query.community, deps.config);
  const days = query.days === undefined ? 7 : Number(query.days);
  if (!Number.isInteger(days) || days < 1 || days > 90) {
    throw new ValidationError(
      `query parameter "days" must be a whole number from 1 to 90, got "${query.days}"`,
    );
  }
  const today = localDay((deps.now ?? (() => new Date()))(), community.timezone);
  return recognition(community, addDays(today, -(days - 1)), today, deps);
}

export interface OpenThread {
  commentId: string;
  threadId: string;
  team: string;
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  waitingMinutes: number;
  escalationLevel: number;
  platform?: string;
  author?: string;
  excerpt?: string;
  url?: string;
}

export async function openThreads(
  query: { community?: string },
  deps: {
    config: AutopilotConfig;
    items: OpenItemStore;
    comments: Pick<CommentStore, 'comments'>;
    now?: () => Date;
  },
): Promise<{ community: string; open: OpenThread[] }> {
  const community = findCommunity(query.community, deps.config);
  const now = (deps.now ?? (() => new Date()))();
  const items = await deps.items.openItems(community.id);
  const details = new Map(
    (
      await deps.comments.comments(
        community.id,
        items.map((i) => i.commentId),
      )
    ).map((c) => [c.comment.id, c]),
  );
  return {
    community: community.id,
    open: items.map((item) => {
      const c = details.get(item.commentId)?.comment;
      return {
        commentId: item.commentId,
        threadId: item.threadId,
        team: item.team,
        createdAt: item.createdAt,
        dueAt: item.dueAt,
        overdue: now.toISOString() > item.dueAt,
        waitingMinutes: Math.round((now.getTime() - Date.parse(item.createdAt)) / 60_000),
        escalationLevel: item.escalationLevel,
        ...(c
          ? {
              platform: c.platform,
              author: c.author.name || c.author.id,
              excerpt: c.text.slice(0, 200),
              ...(c.url ? { url: c.url } : {}),
            }
          : {}),
      };
    }),
  };
}

export function listCommunities(config: AutopilotConfig) {
  return {
    communities: config.communities.map((c) => ({
      id: c.id,
      name: c.name,
      timezone: c.timezone,
      locale: c.locale,
      slaMinutes: c.slaMinutes,
    })),
  };
}
