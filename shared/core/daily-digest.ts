import type { AutopilotConfig, CommunityConfig } from '../config/schema.ts';
import { addDays, localDay } from '../domain/calendar.ts';
import { NotFoundError } from '../domain/errors.ts';
import { type DailyKpis, toDailyKpis } from '../domain/kpi.ts';
import {
  type DigestMessage,
  NOTIFICATION_SCHEMA,
  NOTIFICATION_VERSION,
  type Notification,
  subjectLine,
} from '../domain/notification.ts';
import type { KpiStore, Notifier, OnceStore } from './ports.ts';

export interface DigestDeps {
  config: AutopilotConfig;
  kpis: KpiStore;
  notifier: Notifier;
  once: OnceStore;
  now?: () => Date;
}

export type DigestOutcome = { sent: true; notification: Notification } | { sent: false; reason: string };

const WORDS = {
  en: {
    title: (name: string, date: string) => `${name} · daily digest for ${date}`,
    comments: 'Comments',
    members: 'from members',
    brand: 'brand replies',
    vsBefore: 'vs the day before',
    intents: 'By intent',
    sentiment: 'Sentiment',
    platforms: 'By platform',
    languages: 'By language',
    moderation: 'Moderation',
    toxic: 'toxic',
    spam: 'spam',
    routed: 'Sent to teams',
    none: 'none',
  },
  fr: {
    title: (name: string, date: string) => `${name} · résumé du ${date}`,
    comments: 'Commentaires',
    members: 'de membres',
    brand: 'réponses de la marque',
    vsBefore: 'par rapport à la veille',
    intents: 'Par intention',
    sentiment: 'Sentiment',
    platforms: 'Par plateforme',
    languages: 'Par langue',
    moderation: 'Modération',
    toxic: 'toxiques',
    spam: 'spam',
    routed: 'Transmis aux équipes',
    none: 'aucun',
  },
} as const;

function change(today: number, before: number): string {
  const diff = today - before;
  return diff === 0 ? '=' : diff > 0 ? `+${diff}` : String(diff);
}

function breakdown(values: Record<string, number>, none: string): string {
  const entries = Object.entries(values).sort(([, a], [, b]) => b - a);
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : none;
}

export function digestText(community: CommunityConfig, day: DailyKpis, before: DailyKpis): string {
  const w = WORDS[community.locale];
  return [
    w.title(community.name, day.date),
    '',
    `${w.comments}: ${day.comments} (${change(day.comments, before.comments)} ${w.vsBefore}) — ${day.memberComments} ${w.members}, ${day.brandReplies} ${w.brand}`,
    `${w.intents}: ${breakdown(day.byIntent, w.none)}`,
    `${w.sentiment}: ${breakdown(day.bySentiment, w.none)}`,
    `${w.platforms}: ${breakdown(day.byPlatform, w.none)}`,
    `${w.languages}: ${breakdown(day.byLanguage, w.none)}`,
    `${w.moderation}: ${day.toxic} ${w.toxic}, ${day.spam} ${w.spam}`,
    `${w.routed}: ${breakdown(day.routedTo, w.none)}`,
  ].join('\n');
}

/** Publishes yesterday's totals (community time zone) to the community team, once per day. */
export async function sendDailyDigest(
  communityId: string,
  deps: DigestDeps,
  options: { force?: boolean } = {},
): Promise<DigestOutcome> {
  const community = deps.config.communities.find((c) => c.id === communityId);
  if (!community) throw new NotFoundError(`unknown community "${communityId}"`);
  const now = (deps.now ?? (() => new Date()))();
  const date = addDays(localDay(now, community.timezone), -1);
  const marker = `digest#${community.id}#${date}`;
  if (!options.force && (await deps.once.wasDone(marker)))
    return { sent: false, reason: `digest for ${date} was already sent` };

  const previous = addDays(date, -1);
  const counters = await deps.kpis.readDays(community.id, previous, date);
  const day = toDailyKpis(date, counters.get(date) ?? {});
  const before = toDailyKpis(previous, counters.get(previous) ?? {});
  const text = digestText(community, day, before);
  const message: DigestMessage = {
    schema: NOTIFICATION_SCHEMA,
    version: NOTIFICATION_VERSION,
    kind: 'digest.daily',
    id: marker,
    community: community.id,
    team: community.communityTeam,
    priority: 'low',
    publishedAt: now.toISOString(),
    date,
    text,
    kpis: { day, before },
  };
  const notification: Notification = {
    team: community.communityTeam,
    subject: subjectLine(WORDS[community.locale].title(community.name, date)),
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
  await deps.notifier.publish(notification);
  // Marked after publishing: a crash in between re-sends one digest rather than losing it.
  await deps.once.markDone(marker, new Date(now.getTime() + 30 * 86_400_000));
  return { sent: true, notification };
}
