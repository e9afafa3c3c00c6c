import type { Comment } from '../../shared/domain/comment.ts';
import {
  type CommentRoutedMessage,
  type DigestMessage,
  type MemberWelcomeMessage,
  NOTIFICATION_SCHEMA,
  NOTIFICATION_VERSION,
  type NotificationMessage,
  type SlaEscalatedMessage,
} from '../../shared/domain/notification.ts';
import { splitGraphemes } from '../../shared/notify/text.ts';

/** One message of every notification kind, for the renderers' tests; `text` is the member's words. */
const envelope = {
  schema: NOTIFICATION_SCHEMA,
  version: NOTIFICATION_VERSION,
  community: 'velo',
  publishedAt: '2026-11-20T10:05:00.000Z',
} as const;

export function comment(text: string, overrides: Partial<Comment> = {}): Comment {
  return {
    id: 'meta:1789_42',
    platformId: '1789_42',
    source: 'meta',
    platform: 'facebook',
    community: 'velo',
    threadId: 'meta:1789',
    author: { id: 'fb-100042', name: 'Léa Martin', isBrand: false, isAutomated: false },
    text,
    createdAt: '2026-11-20T10:00:00.000Z',
    url: 'https://www.facebook.com/velolumiere/posts/1789?comment_id=42',
    ...overrides,
  };
}

export function routed(text: string, overrides: Partial<CommentRoutedMessage> = {}): CommentRoutedMessage {
  return {
    ...envelope,
    kind: 'comment.routed',
    id: 'meta:1789_42#support',
    team: 'support',
    priority: 'high',
    rule: 'complaints-to-support',
    comment: comment(text),
    classification: {
      intent: 'complaint',
      intents: ['complaint', 'question'],
      sentiment: 'negative',
      language: 'fr',
      toxic: false,
      toxicLabels: [],
      spam: false,
      spamReasons: [],
    },
    ...overrides,
  };
}

export function welcome(name: string): MemberWelcomeMessage {
  return {
    ...envelope,
    kind: 'member.welcome',
    id: 'welcome#facebook:fb-100042',
    team: 'community',
    priority: 'low',
    member: { key: 'facebook:fb-100042', name, firstCommentId: 'meta:1789_42', firstSeenDay: '2026-11-20' },
  };
}

export function escalated(level: 1 | 2, text: string | undefined): SlaEscalatedMessage {
  return {
    ...envelope,
    kind: 'sla.escalated',
    id: `escalation#meta:1789_42#${level}`,
    team: level === 1 ? 'support' : 'community',
    priority: level === 1 ? 'high' : 'urgent',
    level,
    item: {
      commentId: 'meta:1789_42',
      threadId: 'meta:1789',
      createdAt: '2026-11-20T10:00:00.000Z',
      dueAt: '2026-11-20T12:00:00.000Z',
      owningTeam: 'support',
      waitingMinutes: level === 1 ? 125 : 245,
    },
    ...(text === undefined ? {} : { comment: comment(text) }),
  };
}

export function digest(kind: 'digest.daily' | 'digest.weekly', extra = ''): DigestMessage {
  const title =
    kind === 'digest.daily'
      ? 'Vélo Lumière · résumé du 2026-11-19'
      : 'Vélo Lumière · remerciements de la semaine 2026-W47';
  return {
    ...envelope,
    kind,
    id: `digest-${kind}#velo#2026-11-19`,
    team: 'community',
    priority: 'low',
    date: '2026-11-19',
    text: [
      title,
      '',
      'Commentaires de membres : 42 (+5 par rapport à la veille, moyenne sur 7 jours 37.0)',
      'Réponses de la marque : 17',
      'Questions, réclamations et suggestions en attente : 6 (2 hors SLA)',
      `Top contributeurs : Léa Martin (5), Karim <b>&</b> co (3)${extra}`,
    ].join('\n'),
    kpis: { day: {} },
  };
}

/** Every kind of the notification contract, in French-speaking and English-speaking wording. */
export function everyKind(text: string): NotificationMessage[] {
  return [
    routed(text),
    routed(text, {
      classification: {
        intent: 'other',
        intents: ['other'],
        sentiment: 'negative',
        language: 'fr',
        toxic: true,
        toxicLabels: ['insult'],
        spam: true,
        spamReasons: ['links'],
      },
      team: 'moderation',
      priority: 'low',
    }),
    welcome(splitGraphemes(text).slice(0, 300).join('') || 'Léa'),
    escalated(1, text),
    escalated(2, text),
    escalated(2, undefined),
    digest('digest.daily', text),
    digest('digest.weekly', text),
  ];
}
