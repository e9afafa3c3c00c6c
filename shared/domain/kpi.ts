import type { KeptClassification } from './classification.ts';
import type { Comment } from './comment.ts';
import { type FrtSummary, frtSummary } from './frt-sketch.ts';
import type { Route } from './routing.ts';

/**
 * KPI counters are flat `dimension:value` → count maps, so a whole batch folds into one
 * DynamoDB `ADD` per (community, day) and any set of days or shards sums by plain addition.
 */
export type Counters = Record<string, number>;

export function commentCounters(
  comment: Comment,
  classification: KeptClassification,
  routes: readonly Route[],
  options: { hour?: number } = {},
): Counters {
  const counters: Counters = { comments: 1 };
  if (comment.author.isBrand || comment.author.isAutomated) {
    counters.brandReplies = 1;
    return counters;
  }
  counters.memberComments = 1;
  if (options.hour !== undefined) counters[`hour:${String(options.hour).padStart(2, '0')}`] = 1;
  counters[`platform:${comment.platform}`] = 1;
  counters[`intent:${classification.intent}`] = 1;
  counters[`sentiment:${classification.sentiment.label}`] = 1;
  counters[`language:${classification.language}`] = 1;
  // The full cross-section, so "French questions on Facebook" needs no new counter.
  counters[
    `volume:${comment.platform}|${classification.intent}|${classification.language}|${classification.sentiment.label}`
  ] = 1;
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

/** Distinct active members over windows ending on a period's last day (null: activity data expired). */
export interface ActiveMembers {
  d1: number | null;
  d7: number | null;
  d30: number | null;
}

/** The KPIs of a period (a day, a week, a whole range): counts plus the rates derived from them. */
export interface Kpis {
  period: string;
  comments: number;
  memberComments: number;
  brandReplies: number;
  edited: number;
  deleted: number;
  toxic: number;
  spam: number;
  /** toxic / member comments, spam / member comments. */
  toxicRate: number | null;
  spamRate: number | null;
  byPlatform: Record<string, number>;
  byIntent: Record<string, number>;
  bySentiment: Record<string, number>;
  byLanguage: Record<string, number>;
  /** Member comments per hour of the day (community time zone, "00"–"23"). */
  byHour: Record<string, number>;
  routedTo: Record<string, number>;
  /** Member comments by platform × intent × language × sentiment (the non-zero cells). */
  volume: { platform: string; intent: string; language: string; sentiment: string; count: number }[];
  /** Share of each sentiment among member comments that have one. */
  sentimentShare: Record<string, number>;
  /** Items (member questions, complaints, suggestions; not spam or toxic) created in the period. */
  needsReply: number;
  answered: number;
  answeredWithinSla: number;
  /** Of the items created in the period: answered within the SLA, answered at all (so far). */
  responseRate: { withinSla: number | null; overall: number | null };
  /** First-response time of the items created in the period that have been answered, in seconds. */
  firstResponse: FrtSummary;
  /** Items escalated past their SLA, and past twice their SLA. */
  escalated: number;
  escalatedAgain: number;
  /**
   * Items closed from chat (*Mark handled*) because they were answered off the platform: out of
   * the first-response figures and of `answered`, which count brand replies only.
   */
  handledOffPlatform: number;
  firstTimePosters: number;
  activeMembers: ActiveMembers;
}

const GROUPS = {
  platform: 'byPlatform',
  intent: 'byIntent',
  sentiment: 'bySentiment',
  language: 'byLanguage',
  hour: 'byHour',
  routed: 'routedTo',
} as const;

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

export function toKpis(
  period: string,
  counters: Counters,
  activeMembers: ActiveMembers = { d1: null, d7: null, d30: null },
): Kpis {
  const n = (name: string) => counters[name] ?? 0;
  const kpis: Kpis = {
    period,
    comments: n('comments'),
    memberComments: n('memberComments'),
    brandReplies: n('brandReplies'),
    edited: n('edited'),
    deleted: n('deleted'),
    toxic: n('toxic'),
    spam: n('spam'),
    toxicRate: ratio(n('toxic'), n('memberComments')),
    spamRate: ratio(n('spam'), n('memberComments')),
    byPlatform: {},
    byIntent: {},
    bySentiment: {},
    byLanguage: {},
    byHour: {},
    routedTo: {},
    volume: [],
    sentimentShare: {},
    needsReply: n('needsReply'),
    answered: n('answered'),
    answeredWithinSla: n('answeredWithinSla'),
    responseRate: {
      withinSla: ratio(n('answeredWithinSla'), n('needsReply')),
      overall: ratio(n('answered'), n('needsReply')),
    },
    firstResponse: frtSummary(counters),
    escalated: n('escalated'),
    escalatedAgain: n('escalatedAgain'),
    handledOffPlatform: n('handledOffPlatform'),
    firstTimePosters: n('firstTimePosters'),
    activeMembers,
  };
  for (const [name, value] of Object.entries(counters)) {
    const [dimension, key] = name.split(':', 2);
    const group = GROUPS[dimension as keyof typeof GROUPS];
    if (group && key && value !== 0) kpis[group][key] = value;
    if (dimension === 'volume' && key && value !== 0) {
      const [platform = '', intent = '', language = '', sentiment = ''] = key.split('|');
      kpis.volume.push({ platform, intent, language, sentiment, count: value });
    }
  }
  kpis.volume.sort((a, b) => b.count - a.count);
  const withSentiment = Object.values(kpis.bySentiment).reduce((a, b) => a + b, 0);
  for (const [label, value] of Object.entries(kpis.bySentiment))
    kpis.sentimentShare[label] = ratio(value, withSentiment) ?? 0;
  return kpis;
}

export function sumCounters(all: Iterable<Counters>): Counters {
  const total: Counters = {};
  for (const counters of all) addCounters(total, counters);
  return total;
}
