import type { Classification } from './classification.ts';
import type { Comment } from './comment.ts';
import type { Route } from './routing.ts';

/**
 * KPI counters are flat `dimension:value` → count maps, so a whole batch folds into one
 * DynamoDB `ADD` per (community, day) and any set of days or shards sums by plain addition.
 */
export type Counters = Record<string, number>;

export function commentCounters(comment: Comment, classification: Classification, routes: readonly Route[]): Counters {
  const counters: Counters = { comments: 1 };
  if (comment.author.isBrand || comment.author.isAutomated) {
    counters.brandReplies = 1;
    return counters;
  }
  counters.memberComments = 1;
  counters[`platform:${comment.platform}`] = 1;
  counters[`intent:${classification.intent}`] = 1;
  counters[`sentiment:${classification.sentiment.label}`] = 1;
  counters[`language:${classification.language}`] = 1;
  if (classification.toxic.flag) counters.toxic = 1;
  if (classification.spam.flag) counters.spam = 1;
  for (const route of routes) counters[`routed:${route.team}`] = 1;
  return counters;
}

export function addCounters(into: Counters, from: Counters, sign: 1 | -1 = 1): Counters {
  for (const [name, value] of Object.entries(from)) {
    into[name] = (into[name] ?? 0) + sign * value;
  }
  return into;
}

/** The change to apply when a comment's counters move from `before` to `after` (zeros dropped). */
export function counterDelta(before: Counters, after: Counters): Counters {
  const delta = addCounters(addCounters({}, after), before, -1);
  for (const [name, value] of Object.entries(delta)) if (value === 0) delete delta[name];
  return delta;
}

export interface DailyKpis {
  date: string;
  comments: number;
  memberComments: number;
  brandReplies: number;
  toxic: number;
  spam: number;
  edited: number;
  deleted: number;
  byPlatform: Record<string, number>;
  byIntent: Record<string, number>;
  bySentiment: Record<string, number>;
  byLanguage: Record<string, number>;
  routedTo: Record<string, number>;
}

const GROUPS = {
  platform: 'byPlatform',
  intent: 'byIntent',
  sentiment: 'bySentiment',
  language: 'byLanguage',
  routed: 'routedTo',
} as const;

export function toDailyKpis(date: string, counters: Counters): DailyKpis {
  const kpis: DailyKpis = {
    date,
    comments: counters.comments ?? 0,
    memberComments: counters.memberComments ?? 0,
    brandReplies: counters.brandReplies ?? 0,
    toxic: counters.toxic ?? 0,
    spam: counters.spam ?? 0,
    edited: counters.edited ?? 0,
    deleted: counters.deleted ?? 0,
    byPlatform: {},
    byIntent: {},
    bySentiment: {},
    byLanguage: {},
    routedTo: {},
  };
  for (const [name, value] of Object.entries(counters)) {
    const [dimension, key] = name.split(':', 2);
    const group = GROUPS[dimension as keyof typeof GROUPS];
    if (group && key && value !== 0) kpis[group][key] = value;
  }
  return kpis;
}

export function sumDailyKpis(days: readonly DailyKpis[], label: string): DailyKpis {
  const total = toDailyKpis(label, {});
  for (const day of days) {
    for (const key of ['comments', 'memberComments', 'brandReplies', 'toxic', 'spam', 'edited', 'deleted'] as const) {
      total[key] += day[key];
    }
    for (const group of Object.values(GROUPS)) {
      for (const [k, v] of Object.entries(day[group])) total[group][k] = (total[group][k] ?? 0) + v;
    }
  }
  return total;
}
