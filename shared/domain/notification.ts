import { z } from 'zod';
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
  kind: z.literal('digest.daily'),
  date: z.string(),
  text: z.string(),
  kpis: z.record(z.string(), z.unknown()),
});
export type DigestMessage = z.infer<typeof DigestMessage>;

export const NotificationMessage = z.discriminatedUnion('kind', [CommentRoutedMessage, DigestMessage]);
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
  en: { question: 'Question', suggestion: 'Suggestion', complaint: 'Complaint', praise: 'Praise', other: 'Comment' },
  fr: { question: 'Question', suggestion: 'Suggestion', complaint: 'Réclamation', praise: 'Compliment', other: 'Commentaire' },
} as const;

/** A subject SNS accepts: one line, under 100 characters; the quote is cut first. */
export function subjectLine(head: string, quote?: string): string {
  const oneLine = (s: string) => s.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  let subject = oneLine(head);
  if (quote) subject += ` — “${oneLine(quote)}”`;
  if ([...subject].length > 99) subject = `${[...subject].slice(0, 98).join('')}…`;
  return subject;
}

export function commentRoutedNotification(message: CommentRoutedMessage, locale: 'fr' | 'en'): Notification {
  const c = message.comment;
  const k = message.classification;
  const label = LABELS[locale][k.intent];
  const flags = [k.toxic ? 'toxic' : '', k.spam ? 'spam' : ''].filter(Boolean).join(', ');
  const subject = subjectLine(`[${message.priority}] ${label} on ${c.platform}${flags ? ` (${flags})` : ''}`, c.text);
  const text = [
    subject,
    '',
    `${c.author.name || c.author.id} wrote on ${c.platform} (${c.createdAt}):`,
    c.text,
    '',
    `Intent: ${k.intents.join(', ')} · Sentiment: ${k.sentiment} · Language: ${k.language}`,
    k.toxic ? `Toxic: ${k.toxicLabels.join(', ') || 'yes'}` : '',
    k.spam ? `Spam: ${k.spamReasons.join(', ') || 'yes'}` : '',
    c.url ? `Open: ${c.url}` : '',
    `Routed to ${message.team} by rule "${message.rule}".`,
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
  return {
    team: message.team,
    subject,
    message,
    text,
    attributes: {
      schema: `${NOTIFICATION_SCHEMA}@${NOTIFICATION_VERSION}`,
      kind: message.kind,
      community: message.community,
      team: message.team,
      priority: message.priority,
      platform: c.platform,
      intent: k.intent,
      language: k.language,
      toxic: String(k.toxic),
      spam: String(k.spam),
    },
  };
}
