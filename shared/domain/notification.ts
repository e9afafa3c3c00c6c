import * as z from 'zod';
import { INTENTS, SENTIMENTS, TOXIC_LABELS } from './classification.ts';
import { Comment } from './comment.ts';

/**
 * The messages published to team topics: a versioned contract. Subscribers (SQS, HTTPS, Lambda)
 * get this JSON; e-mail subscribers get `emailText(...)` with the same first lines as the subject.
 * Bump `version` on any breaking change and keep the old one readable for a release.
 */
export const NOTIFICATION_SCHEMA = 'community-autopilot/notification';
export const NOTIFICATION_VERSION = 1;

const Envelope = {
  schema: z.literal(NOTIFICATION_SCHEMA),
  version: z.literal(NOTIFICATION_VERSION),
  /** Stable per (subject, team): a subscriber can drop a redelivered notification by this id. */
  id: z.string().min(1),
  community: z.string().min(1),
  team: z.string().min(1),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  publishedAt: z.iso.datetime(),
};

export const CommentRoutedMessage = z.object({
  ...Envelope,
  kind: z.literal('comment.routed'),
  rule: z.string(),
  comment: Comment,
  classification: z.object({
    intent: z.enum(INTENTS),
    intents: z.array(z.enum(INTENTS)),
    sentiment: z.enum(SENTIMENTS),
    language: z.string(),
    toxic: z.boolean(),
    toxicLabels: z.array(z.enum(TOXIC_LABELS)),
    spam: z.boolean(),
    spamReasons: z.array(z.string()),
  }),
});
export type CommentRoutedMessage = z.infer<typeof CommentRoutedMessage>;

export const DigestMessage = z.object({
  ...Envelope,
  kind: z.enum(['digest.daily', 'digest.weekly']),
  /** The day (daily) or the ISO week's Monday (weekly) the digest covers. */
  date: z.string(),
  text: z.string(),
  kpis: z.record(z.string(), z.unknown()),
});
export type DigestMessage = z.infer<typeof DigestMessage>;

/** A first-time poster, for the community team to welcome. */
export const MemberWelcomeMessage = z.object({
  ...Envelope,
  kind: z.literal('member.welcome'),
  member: z.object({
    key: z.string(),
    name: z.string(),
    firstCommentId: z.string(),
    firstSeenDay: z.string(),
  }),
});
export type MemberWelcomeMessage = z.infer<typeof MemberWelcomeMessage>;

/** A member's item still unanswered past the SLA (level 1), or past twice the SLA (level 2). */
export const SlaEscalatedMessage = z.object({
  ...Envelope,
  kind: z.literal('sla.escalated'),
  level: z.union([z.literal(1), z.literal(2)]),
  item: z.object({
    commentId: z.string(),
    threadId: z.string(),
    createdAt: z.string(),
    dueAt: z.string(),
    owningTeam: z.string(),
    waitingMinutes: z.number(),
  }),
  comment: Comment.optional(),
});
export type SlaEscalatedMessage = z.infer<typeof SlaEscalatedMessage>;

export const NotificationMessage = z.discriminatedUnion('kind', [
  CommentRoutedMessage,
  DigestMessage,
  MemberWelcomeMessage,
  SlaEscalatedMessage,
]);
export type NotificationMessage = z.infer<typeof NotificationMessage>;

/** What a Notifier publishes: the contract plus its human-readable renderings and filterable attributes. */
export interface Notification {
  team: string;
  /** UTF-8, no line breaks, under 100 characters (SNS's limit). */
  subject: string;
  message: NotificationMessage;
  /** Plain text for e-mail: the subject's facts first, then the details. */
  text: string;
  attributes: Record<string, string>;
}

const LABELS = {
  en: {
    question: 'Question',
    suggestion: 'Suggestion',
    complaint: 'Complaint',
    praise: 'Praise',
    other: 'Comment',
  },
  fr: {
    question: 'Question',
    suggestion: 'Suggestion',
    complaint: 'Réclamation',
    praise: 'Compliment',
    other: 'Commentaire',
  },
} as const;

/** A subject SNS accepts: one line, under 100 characters; the quote is cut first. */
export function subjectLine(head: string, quote?: string): string {
  const oneLine = (s: string) =>
    s
      .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  let subject = oneLine(head);
  if (quote) subject += ` — “${oneLine(quote)}”`;
  if ([...subject].length > 99) subject = `${[...subject].slice(0, 98).join('')}…`;
  return subject;
}

function envelopeAttributes(message: NotificationMessage): Record<string, string> {
  return {
    schema: `${NOTIFICATION_SCHEMA}@${NOTIFICATION_VERSION}`,
    kind: message.kind,
    community: message.community,
    team: message.team,
    priority: message.priority,
  };
}

export function welcomeNotification(
  member: { key: string; name: string; firstCommentId: string; firstSeenDay: string },
  community: { id: string; locale: 'fr' | 'en'; communityTeam: string },
  now: Date,
): Notification {
  const message: MemberWelcomeMessage = {
    schema: NOTIFICATION_SCHEMA,
    version: NOTIFICATION_VERSION,
    kind: 'member.welcome',
    id: `welcome#${member.key}`,
    community: community.id,
    team: community.communityTeam,
    priority: 'low',
    publishedAt: now.toISOString(),
    member: {
      key: member.key,
      name: member.name,
      firstCommentId: member.firstCommentId,
      firstSeenDay: member.firstSeenDay,
    },
  };
  const who = member.name || member.key;
  const subject = subjectLine(
    community.locale === 'fr' ? `[low] Nouveau membre : ${who}` : `[low] New member: ${who}`,
  );
  const text = [
    subject,
    '',
    community.locale === 'fr'
      ? `${who} a posté pour la première fois le ${member.firstSeenDay} (commentaire ${member.firstCommentId}). Un petit mot de bienvenue ?`
      : `${who} posted for the first time on ${member.firstSeenDay} (comment ${member.firstCommentId}). Time for a welcome?`,
  ].join('\n');
  return { team: community.communityTeam, subject, message, text, attributes: envelopeAttributes(message) };
}

export function escalationNotification(message: SlaEscalatedMessage, locale: 'fr' | 'en'): Notification {
  const waited = formatMinutes(message.item.waitingMinutes);
  const head =
    locale === 'fr'
      ? `[${message.priority}] Sans réponse depuis ${waited}${message.level === 2 ? ' (2e relance)' : ''}`
      : `[${message.priority}] Unanswered for ${waited}${message.level === 2 ? ' (second escalation)' : ''}`;
  const subject = subjectLine(head, message.comment?.text);
  const c = message.comment;
  const text = textLines([
    subject,
    '',
    c
      ? `${c.author.name || c.author.id} (${c.platform}, ${c.createdAt}):`
      : `Comment ${message.item.commentId}`,
    c?.text,
    '',
    `SLA due ${message.item.dueAt}; owning team ${message.item.owningTeam}.`,
    c?.url ? `Open: ${c.url}` : undefined,
  ]);
  return {
    team: message.team,
    subject,
    message,
    text,
    attributes: { ...envelopeAttributes(message), ...(c ? { platform: c.platform } : {}) },
  };
}

/** E-mail text: one line each, `undefined` for the lines that do not apply. */
function textLines(lines: readonly (string | undefined)[]): string {
  return lines.filter((line) => line !== undefined).join('\n');
}

function formatMinutes(minutes: number): string {
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 2880) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}

export function commentRoutedNotification(message: CommentRoutedMessage, locale: 'fr' | 'en'): Notification {
  const c = message.comment;
  const k = message.classification;
  const label = LABELS[locale][k.intent];
  const flags = [k.toxic ? 'toxic' : '', k.spam ? 'spam' : ''].filter(Boolean).join(', ');
  const subject = subjectLine(
    `[${message.priority}] ${label} ${locale === 'fr' ? 'sur' : 'on'} ${c.platform}${flags ? ` (${flags})` : ''}`,
    c.text,
  );
  const text = textLines([
    subject,
    '',
    `${c.author.name || c.author.id} wrote on ${c.platform} (${c.createdAt}):`,
    c.text,
    '',
    `Intent: ${k.intents.join(', ')} · Sentiment: ${k.sentiment} · Language: ${k.language}`,
    k.toxic ? `Toxic: ${k.toxicLabels.join(', ') || 'yes'}` : undefined,
    k.spam ? `Spam: ${k.spamReasons.join(', ') || 'yes'}` : undefined,
    c.url ? `Open: ${c.url}` : undefined,
    `Routed to ${message.team} by rule "${message.rule}".`,
  ]);
  return {
    team: message.team,
    subject,
    message,
    text,
    attributes: {
      ...envelopeAttributes(message),
      platform: c.platform,
      intent: k.intent,
      language: k.language,
      toxic: String(k.toxic),
      spam: String(k.spam),
    },
  };
}
