import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import { addDays, daysBetween, isoWeekLabel, isoWeekStart, localDay } from '../domain/calendar.ts';
import { NotFoundError } from '../domain/errors.ts';
import { type Kpis, sumCounters, toKpis } from '../domain/kpi.ts';
import {
  type DigestMessage,
  NOTIFICATION_SCHEMA,
  NOTIFICATION_VERSION,
  type Notification,
  subjectLine,
} from '../domain/notification.ts';
import type { OutboxEntry } from '../domain/outbox.ts';
import { type Recognition, recognition } from './insights.ts';
import type { KpiStore, MemberStore, OnceStore, OpenItemStore } from './ports.ts';
import { activeMembersOnDay } from './read-kpis.ts';

export interface DigestDeps {
  config: AutopilotConfig;
  kpis: KpiStore;
  members: MemberStore;
  items: OpenItemStore;
  once: OnceStore;
  now?: () => Date;
}

export type DigestKind = 'daily' | 'weekly';

export type DigestOutcome = { sent: true; notification: Notification } | { sent: false; reason: string };

const WORDS = {
  en: {
    daily: (name: string, date: string) => `${name} · daily digest for ${date}`,
    weekly: (name: string, week: string) => `${name} · weekly recognition, ${week}`,
    comments: (n: number, before: string, avg: string) =>
      `Member comments: ${n} (${before} vs the day before, 7-day average ${avg})`,
    brand: (n: number) => `Brand replies: ${n}`,
    open: (n: number, overdue: number) =>
      `Questions, complaints and suggestions awaiting a reply: ${n} (${overdue} past the SLA)`,
    sentiments: { positive: 'positive', negative: 'negative', neutral: 'neutral', mixed: 'mixed' } as Record<
      string,
      string
    >,
    frt: (p50: string, p90: string, mean: string) =>
      `First response: median ${p50}, p90 ${p90}, mean ${mean}`,
    rate: (sla: string, all: string) => `Answered within the SLA: ${sla} (answered at all: ${all})`,
    sentiment: 'Sentiment',
    moderation: (toxic: string, spam: string) => `Toxic: ${toxic} · Spam: ${spam}`,
    members: (d1: number | null, d7: number | null, d30: number | null, first: number) =>
      `Active members: ${d1 ?? '—'} that day, ${d7 ?? '—'} over 7 days, ${d30 ?? '—'} over 30 days · first-time posters: ${first}`,
    intents: 'By intent',
    platforms: 'By platform',
    languages: 'By language',
    topics: 'Topics and keywords: not computed yet.',
    top: 'Top contributors',
    escalated: (first: number, again: number) =>
      `Escalated past the SLA: ${first} (past twice the SLA: ${again})`,
    thank: 'Top contributors to thank',
    helpers: 'Members who helped others',
    newcomers: 'Newcomers to welcome',
    line: (name: string, comments: number, answers: number) =>
      `${name}: ${comments} comment${comments === 1 ? '' : 's'}, ${answers} answer${answers === 1 ? '' : 's'} to members`,
    none: 'none',
  },
  fr: {
    daily: (name: string, date: string) => `${name} · résumé du ${date}`,
    weekly: (name: string, week: string) => `${name} · remerciements de la semaine ${week}`,
    comments: (n: number, before: string, avg: string) =>
      `Commentaires de membres : ${n} (${before} par rapport à la veille, moyenne sur 7 jours ${avg})`,
    brand: (n: number) => `Réponses de la marque : ${n}`,
    open: (n: number, overdue: number) =>
      `Questions, réclamations et suggestions en attente de réponse : ${n} (${overdue} hors délai)`,
    sentiments: { positive: 'positif', negative: 'négatif', neutral: 'neutre', mixed: 'mitigé' } as Record<
      string,
      string
    >,
    frt: (p50: string, p90: string, mean: string) =>
      `Première réponse : médiane ${p50}, p90 ${p90}, moyenne ${mean}`,
    rate: (sla: string, all: string) => `Répondu dans le délai : ${sla} (répondu : ${all})`,
    sentiment: 'Sentiment',
    moderation: (toxic: string, spam: string) => `Toxiques : ${toxic} · Spam : ${spam}`,
    members: (d1: number | null, d7: number | null, d30: number | null, first: number) =>
      `Membres actifs : ${d1 ?? '—'} ce jour-là, ${d7 ?? '—'} sur 7 jours, ${d30 ?? '—'} sur 30 jours · premiers messages : ${first}`,
    intents: 'Par intention',
    platforms: 'Par plateforme',
    languages: 'Par langue',
    topics: 'Sujets et mots-clés : pas encore calculés.',
    top: 'Membres les plus actifs',
    escalated: (first: number, again: number) =>
      `Relances hors délai : ${first} (au double du délai : ${again})`,
    thank: 'Contributeurs à remercier',
    helpers: 'Membres qui ont aidé les autres',
    newcomers: 'Nouveaux membres à accueillir',
    line: (name: string, comments: number, answers: number) =>
      `${name} : ${comments} commentaire${comments > 1 ? 's' : ''}, ${answers} réponse${answers > 1 ? 's' : ''} à des membres`,
    none: 'aucun',
  },
} as const;

const pct = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)} %`);

export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

function breakdown(
  values: Record<string, number>,
  none: string,
  format: (v: number) => string = String,
): string {
  const entries = Object.entries(values).sort(([, a], [, b]) => b - a);
  return entries.length ? entries.map(([k, v]) => `${k} ${format(v)}`).join(', ') : none;
}

export function dailyDigestText(
  community: CommunityConfig,
  day: Kpis,
  before: Kpis,
  weekAverage: number,
  open: { count: number; overdue: number },
  top: Recognition['topContributors'] = [],
): string {
  const w = WORDS[community.locale];
  const colon = community.locale === 'fr' ? ' :' : ':';
  const diff = day.memberComments - before.memberComments;
  return [
    w.daily(community.name, day.period),
    '',
    w.comments(
      day.memberComments,
      diff === 0 ? '=' : diff > 0 ? `+${diff}` : String(diff),
      weekAverage.toFixed(1),
    ),
    w.brand(day.brandReplies),
    w.open(open.count, open.overdue),
    w.frt(
      duration(day.firstResponse.p50Seconds),
      duration(day.firstResponse.p90Seconds),
      duration(day.firstResponse.meanSeconds),
    ),
    w.rate(pct(day.responseRate.withinSla), pct(day.responseRate.overall)),
    w.escalated(day.escalated, day.escalatedAgain),
    `${w.sentiment}${colon} ${breakdown(
      Object.fromEntries(Object.entries(day.sentimentShare).map(([k, v]) => [w.sentiments[k] ?? k, v])),
      w.none,
      (v) => pct(v),
    )}`,
    w.moderation(pct(day.toxicRate), pct(day.spamRate)),
    w.members(day.activeMembers.d1, day.activeMembers.d7, day.activeMembers.d30, day.firstTimePosters),
    `${w.intents}${community.locale === 'fr' ? ' :' : ':'} ${breakdown(day.byIntent, w.none)}`,
    `${w.platforms}${community.locale === 'fr' ? ' :' : ':'} ${breakdown(day.byPlatform, w.none)}`,
    `${w.languages}${community.locale === 'fr' ? ' :' : ':'} ${breakdown(day.byLanguage, w.none)}`,
    `${w.top}${colon} ${top.length ? top.map((m) => `${m.name} (${m.comments})`).join(', ') : w.none}`,
    w.topics,
  ].join('\n');
}

export function weeklyDigestText(community: CommunityConfig, week: string, r: Recognition): string {
  const w = WORDS[community.locale];
  const section = (title: string, entries: Recognition['topContributors']) => [
    `${title}${community.locale === 'fr' ? ' :' : ':'}`,
    ...(entries.length
      ? entries.map((e) => `  - ${w.line(e.name, e.comments, e.answersGiven)}`)
      : [`  ${w.none}`]),
  ];
  return [
    w.weekly(community.name, week),
    `${r.from} → ${r.to}`,
    '',
    ...section(w.thank, r.topContributors),
    '',
    ...section(w.helpers, r.helpers),
    '',
    ...section(w.newcomers, r.newcomers),
  ].join('\n');
}

/**
 * Sends a digest to the community team, once per period: the daily one for yesterday (community
 * time zone), the weekly one for the last full ISO week. The digest is rendered now and recorded
 * once for its period, with its notification as the record's outbox entry; the outbox dispatcher
 * delivers it. A second run for the same period records nothing and says so.
 */
export async function sendDigest(
  communityId: string,
  kind: DigestKind,
  deps: DigestDeps,
  /** `date`: the day (daily) or any day of the week (weekly) to report on, instead of the last complete one. */
  options: { force?: boolean; date?: string } = {},
): Promise<DigestOutcome> {
  const community = deps.config.communities.find((c) => c.id === communityId);
  if (!community) throw new NotFoundError(`unknown community "${communityId}"`);
  const now = (deps.now ?? (() => new Date()))();
  const today = localDay(now, community.timezone);
  const reported = options.date ?? (kind === 'daily' ? addDays(today, -1) : addDays(today, -7));
  const date = kind === 'daily' ? reported : isoWeekStart(reported);
  // A forced digest (sent again by hand) is a new effect of its own, with its own id.
  const marker = `digest-${kind}#${community.id}#${date}${options.force ? `#again-${now.toISOString()}` : ''}`;
  const keepUntil = new Date(now.getTime() + 40 * 86_400_000);
  const notification = await composeDigest(community, kind, date, marker, deps, now);
  const entry: OutboxEntry = {
    id: marker,
    kind: 'digest',
    at: now.toISOString(),
    team: notification.team,
    notification,
  };
  if ((await deps.once.recordOnce(marker, entry, keepUntil)) === 'done') {
    return { sent: false, reason: `the ${kind} digest for ${date} was already sent` };
  }
  return { sent: true, notification };
}

async function composeDigest(
  community: CommunityConfig,
  kind: DigestKind,
  date: string,
  id: string,
  deps: DigestDeps,
  now: Date,
): Promise<Notification> {
  let text: string;
  let kpis: Record<string, unknown>;
  let title: string;
  if (kind === 'daily') {
    const [counters, memberDays, open] = await Promise.all([
      deps.kpis.readDays(community.id, addDays(date, -7), date),
      deps.kpis.readMemberDays(community.id, addDays(date, -30), date),
      deps.items.openItems(community.id),
    ]);
    const day = toKpis(date, counters.get(date) ?? {}, activeMembersOnDay(date, memberDays));
    const before = toKpis(
      addDays(date, -1),
      counters.get(addDays(date, -1)) ?? {},
      activeMembersOnDay(addDays(date, -1), memberDays),
    );
    const week = toKpis(
      '7 days',
      sumCounters(daysBetween(addDays(date, -7), addDays(date, -1)).map((d) => counters.get(d) ?? {})),
    );
    const overdue = open.filter((i) => i.dueAt < now.toISOString()).length;
    const top = (await recognition(community, date, date, deps, 3)).topContributors;
    text = dailyDigestText(
      community,
      day,
      before,
      week.memberComments / 7,
      { count: open.length, overdue },
      top,
    );
    kpis = { day, before, weekAverageMemberComments: week.memberComments / 7, open: open.length, overdue };
    title = WORDS[community.locale].daily(community.name, date);
  } else {
    const r = await recognition(community, date, addDays(date, 6), deps);
    text = weeklyDigestText(community, isoWeekLabel(date), r);
    kpis = { recognition: r };
    title = WORDS[community.locale].weekly(community.name, isoWeekLabel(date));
  }

  const message: DigestMessage = {
    schema: NOTIFICATION_SCHEMA,
    version: NOTIFICATION_VERSION,
    kind: kind === 'daily' ? 'digest.daily' : 'digest.weekly',
    id,
    community: community.id,
    team: community.communityTeam,
    priority: 'low',
    publishedAt: now.toISOString(),
    date,
    text,
    kpis,
  };
  return {
    team: community.communityTeam,
    subject: subjectLine(title),
    message,
    text,
    attributes: {
      schema: `${NOTIFICATION_SCHEMA}@${NOTIFICATION_VERSION}`,
      kind: message.kind,
      community: community.id,
      team: community.communityTeam,
      priority: 'low',
    },
  };
}
