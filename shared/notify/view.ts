import type { Priority } from '../config/schema.ts';
import type { Intent, Sentiment } from '../domain/classification.ts';
import type { Comment, Platform } from '../domain/comment.ts';
import type { NotificationMessage } from '../domain/notification.ts';

/**
 * What every chat rendering of a notification shows, decided once per notification kind and
 * locale: the Slack, Teams and Chatbot renderers only lay it out and escape it. Every text here
 * is raw (unescaped, uncut); the renderers fit it into their format's limits.
 */
export interface NotificationView {
  id: string;
  kind: NotificationMessage['kind'];
  community: string;
  team: string;
  priority: Priority;
  locale: Locale;
  /** A marker of the priority (or of the kind, for digests and welcomes). */
  emoji: string;
  /** "Complaint on Facebook", "New member: Léa", "Unanswered for 3 h". */
  title: string;
  /** The subject line: title plus the start of the quote, for notification previews. */
  summary: string;
  /** Who wrote it, where and when. */
  byline?: { author: string; platform: string; at: string };
  /** The member's words. */
  quote?: string;
  facts: { label: string; value: string }[];
  /** Plain lines (a digest's figures, a welcome's suggestion). */
  lines: string[];
  links: { kind: 'platform' | 'console'; label: string; url: string }[];
  actions: ViewAction[];
  /** Groups the notifications about one conversation (a chat thread where the target threads). */
  threadKey: string;
  /** Closing line: which rule routed it, to which team. */
  footer: string;
}

export type Locale = 'fr' | 'en';

export type ActionKind = 'handled' | 'assign' | 'not-toxic';

export interface ViewAction {
  kind: ActionKind;
  label: string;
  /** What the click is about; travels in the button's value. */
  ref: ActionRef;
}

export interface ActionRef {
  community: string;
  commentId: string;
  threadId: string;
}

export interface ViewOptions {
  locale: Locale;
  timezone: string;
  /** Base URL of the console ("Open in the console"); no console link when absent. */
  consoleUrl?: string;
}

const PLATFORM_NAMES: Record<Platform, string> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  slack: 'Slack',
  discourse: 'Discourse',
  github: 'GitHub',
  x: 'X',
  youtube: 'YouTube',
  reddit: 'Reddit',
  generic: 'Web',
};

const PRIORITY_EMOJI: Record<Priority, string> = { urgent: '🔴', high: '🟠', normal: '🔵', low: '⚪' };

const WORDS = {
  en: {
    intents: {
      question: 'Question',
      suggestion: 'Suggestion',
      complaint: 'Complaint',
      praise: 'Praise',
      other: 'Comment',
    } satisfies Record<Intent, string>,
    sentiments: {
      positive: 'positive',
      negative: 'negative',
      neutral: 'neutral',
      mixed: 'mixed',
    } satisfies Record<Sentiment, string>,
    priorities: { urgent: 'urgent', high: 'high', normal: 'normal', low: 'low' } satisfies Record<
      Priority,
      string
    >,
    on: (what: string, platform: string) => `${what} on ${platform}`,
    toxic: 'toxic',
    spam: 'spam',
    intent: 'Intent',
    sentiment: 'Sentiment',
    language: 'Language',
    toxicLabel: 'Toxic',
    spamLabel: 'Spam',
    rule: 'Rule',
    priority: 'Priority',
    team: 'Team',
    yes: 'yes',
    routedBy: (team: string, rule: string) => `Routed to ${team} by rule “${rule}”`,
    openOn: (platform: string) => `Open on ${platform}`,
    openConsole: 'Open in the console',
    handled: 'Mark handled',
    assign: 'Assign to me',
    notToxic: 'Not toxic / not spam',
    welcome: (who: string) => `New member: ${who}`,
    welcomeLine: (who: string, day: string) =>
      `${who} posted for the first time on ${day}. Time for a welcome?`,
    firstSeen: 'First comment',
    unanswered: (waited: string, level: 1 | 2) =>
      `Unanswered for ${waited}${level === 2 ? ' (second escalation)' : ''}`,
    slaDue: 'SLA due',
    owningTeam: 'Owning team',
    level: 'Escalation',
    levels: { 1: 'past the SLA', 2: 'past twice the SLA' },
    escalatedTo: (team: string, level: 1 | 2) =>
      `Escalated to ${team} (${level === 1 ? 'past the SLA' : 'past twice the SLA'})`,
    commentMissing: (id: string) => `Comment ${id} (its text is no longer kept)`,
    digestFooter: (team: string) => `Sent to ${team}`,
  },
  fr: {
    intents: {
      question: 'Question',
      suggestion: 'Suggestion',
      complaint: 'Réclamation',
      praise: 'Compliment',
      other: 'Commentaire',
    } satisfies Record<Intent, string>,
    sentiments: {
      positive: 'positif',
      negative: 'négatif',
      neutral: 'neutre',
      mixed: 'mitigé',
    } satisfies Record<Sentiment, string>,
    priorities: { urgent: 'urgente', high: 'haute', normal: 'normale', low: 'basse' } satisfies Record<
      Priority,
      string
    >,
    on: (what: string, platform: string) => `${what} sur ${platform}`,
    toxic: 'toxique',
    spam: 'spam',
    intent: 'Intention',
    sentiment: 'Sentiment',
    language: 'Langue',
    toxicLabel: 'Toxique',
    spamLabel: 'Spam',
    rule: 'Règle',
    priority: 'Priorité',
    team: 'Équipe',
    yes: 'oui',
    routedBy: (team: string, rule: string) => `Envoyé à ${team} par la règle « ${rule} »`,
    openOn: (platform: string) => `Ouvrir sur ${platform}`,
    openConsole: 'Ouvrir dans la console',
    handled: 'Marquer comme traité',
    assign: 'Je m’en occupe',
    notToxic: 'Ni toxique ni spam',
    welcome: (who: string) => `Nouveau membre : ${who}`,
    welcomeLine: (who: string, day: string) =>
      `${who} a posté pour la première fois le ${day}. Un petit mot de bienvenue ?`,
    firstSeen: 'Premier commentaire',
    unanswered: (waited: string, level: 1 | 2) =>
      `Sans réponse depuis ${waited}${level === 2 ? ' (2e relance)' : ''}`,
    slaDue: 'Échéance SLA',
    owningTeam: 'Équipe responsable',
    level: 'Relance',
    levels: { 1: 'SLA dépassé', 2: 'SLA dépassé deux fois' },
    escalatedTo: (team: string, level: 1 | 2) =>
      `Relance envoyée à ${team} (${level === 1 ? 'SLA dépassé' : 'SLA dépassé deux fois'})`,
    commentMissing: (id: string) => `Commentaire ${id} (son texte n’est plus conservé)`,
    digestFooter: (team: string) => `Envoyé à ${team}`,
  },
};

/** Labels of the buttons, for a message updated after a click. */
export function actionLabel(kind: ActionKind, locale: Locale): string {
  const w = WORDS[locale];
  return kind === 'handled' ? w.handled : kind === 'assign' ? w.assign : w.notToxic;
}

/** The view of a notification, in the community's locale and time zone. Pure. */
export function notificationView(message: NotificationMessage, options: ViewOptions): NotificationView {
  const w = WORDS[options.locale];
  const base = {
    id: message.id,
    kind: message.kind,
    community: message.community,
    team: message.team,
    priority: message.priority,
    locale: options.locale,
  };
  switch (message.kind) {
    case 'comment.routed': {
      const c = message.comment;
      const k = message.classification;
      const platform = PLATFORM_NAMES[c.platform];
      const flags = [k.toxic ? w.toxic : '', k.spam ? w.spam : ''].filter(Boolean).join(', ');
      const title = `${w.on(w.intents[k.intent], platform)}${flags ? ` (${flags})` : ''}`;
      const ref = { community: message.community, commentId: c.id, threadId: c.threadId };
      const needsReply =
        !k.toxic &&
        !k.spam &&
        k.intents.some((i) => i === 'question' || i === 'complaint' || i === 'suggestion');
      return {
        ...base,
        emoji: PRIORITY_EMOJI[message.priority],
        title,
        summary: summaryOf(`[${w.priorities[message.priority]}] ${title}`, c.text),
        byline: bylineOf(c, options),
        quote: c.text,
        facts: [
          { label: w.intent, value: k.intents.map((i) => w.intents[i]).join(', ') },
          { label: w.sentiment, value: w.sentiments[k.sentiment] },
          { label: w.language, value: k.language },
          ...(k.toxic ? [{ label: w.toxicLabel, value: k.toxicLabels.join(', ') || w.yes }] : []),
          ...(k.spam ? [{ label: w.spamLabel, value: k.spamReasons.join(', ') || w.yes }] : []),
          { label: w.rule, value: message.rule },
          { label: w.priority, value: w.priorities[message.priority] },
        ],
        lines: [],
        links: linksOf(c, message.community, options),
        actions: [
          ...(needsReply
            ? [
                { kind: 'handled' as const, label: w.handled, ref },
                { kind: 'assign' as const, label: w.assign, ref },
              ]
            : []),
          ...(k.toxic || k.spam ? [{ kind: 'not-toxic' as const, label: w.notToxic, ref }] : []),
        ],
        threadKey: c.threadId,
        footer: w.routedBy(message.team, message.rule),
      };
    }
    case 'member.welcome': {
      const m = message.member;
      const who = m.name || m.key;
      const consoleLink = consoleLinkOf(message.community, m.firstCommentId, options);
      return {
        ...base,
        emoji: '👋',
        title: w.welcome(who),
        summary: summaryOf(w.welcome(who)),
        facts: [{ label: w.firstSeen, value: `${m.firstSeenDay} · ${m.firstCommentId}` }],
        lines: [w.welcomeLine(who, m.firstSeenDay)],
        links: consoleLink ? [consoleLink] : [],
        actions: [],
        threadKey: `member#${m.key}`,
        footer: w.digestFooter(message.team),
      };
    }
    case 'sla.escalated': {
      const c = message.comment;
      const title = w.unanswered(formatMinutes(message.item.waitingMinutes, options.locale), message.level);
      const ref = {
        community: message.community,
        commentId: message.item.commentId,
        threadId: message.item.threadId,
      };
      return {
        ...base,
        emoji: message.level === 2 ? '🚨' : '⏰',
        title,
        summary: summaryOf(`[${w.priorities[message.priority]}] ${title}`, c?.text),
        ...(c ? { byline: bylineOf(c, options) } : {}),
        quote: c ? c.text : w.commentMissing(message.item.commentId),
        facts: [
          { label: w.slaDue, value: formatInstant(message.item.dueAt, options) },
          { label: w.owningTeam, value: message.item.owningTeam },
          { label: w.level, value: w.levels[message.level] },
          { label: w.priority, value: w.priorities[message.priority] },
        ],
        lines: [],
        links: c
          ? linksOf(c, message.community, options)
          : [consoleLinkOf(message.community, message.item.commentId, options)].filter(
              (l): l is NonNullable<typeof l> => l !== undefined,
            ),
        actions: [
          { kind: 'handled', label: w.handled, ref },
          { kind: 'assign', label: w.assign, ref },
        ],
        threadKey: message.item.threadId,
        footer: w.escalatedTo(message.team, message.level),
      };
    }
    case 'digest.daily':
    case 'digest.weekly': {
      const [first = '', ...rest] = message.text.split('\n');
      const lines = rest.filter((line, i) => line.trim() !== '' || (i > 0 && rest[i - 1]?.trim() !== ''));
      while (lines.length && lines[0]?.trim() === '') lines.shift();
      return {
        ...base,
        emoji: message.kind === 'digest.daily' ? '📊' : '🏆',
        title: first,
        summary: summaryOf(first),
        facts: [],
        lines,
        links: options.consoleUrl
          ? [
              {
                kind: 'console',
                label: w.openConsole,
                url: `${trimSlash(options.consoleUrl)}/communities/${encodeURIComponent(message.community)}`,
              },
            ]
          : [],
        actions: [],
        threadKey: message.kind,
        footer: w.digestFooter(message.team),
      };
    }
  }
}

function summaryOf(head: string, quote?: string): string {
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  return quote ? `${flat(head)} — “${flat(quote)}”` : flat(head);
}

function bylineOf(c: Comment, options: ViewOptions) {
  return {
    author: c.author.name || c.author.id,
    platform: PLATFORM_NAMES[c.platform],
    at: formatInstant(c.createdAt, options),
  };
}

function linksOf(c: Comment, community: string, options: ViewOptions): NotificationView['links'] {
  const w = WORDS[options.locale];
  const links: NotificationView['links'] = [];
  if (c.url) links.push({ kind: 'platform', label: w.openOn(PLATFORM_NAMES[c.platform]), url: c.url });
  const console = consoleLinkOf(community, c.id, options);
  if (console) links.push(console);
  return links;
}

function consoleLinkOf(community: string, commentId: string, options: ViewOptions) {
  if (!options.consoleUrl) return undefined;
  return {
    kind: 'console' as const,
    label: WORDS[options.locale].openConsole,
    url: `${trimSlash(options.consoleUrl)}/communities/${encodeURIComponent(community)}/comments/${encodeURIComponent(commentId)}`,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** "20 Nov 2026, 11:00" in the community's time zone and language. */
export function formatInstant(iso: string, options: Pick<ViewOptions, 'locale' | 'timezone'>): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(options.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone: options.timezone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

function formatMinutes(minutes: number, locale: Locale): string {
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 2880) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} ${locale === 'fr' ? 'j' : 'd'}`;
}
