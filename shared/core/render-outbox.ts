import type { CommunityConfig } from '../config/schema.ts';
import type { Comment } from '../domain/comment.ts';
import type { Member } from '../domain/members.ts';
import {
  type CommentRoutedMessage,
  commentRoutedNotification,
  escalationNotification,
  NOTIFICATION_SCHEMA,
  NOTIFICATION_VERSION,
  type Notification,
  type SlaEscalatedMessage,
  welcomeNotification,
} from '../domain/notification.ts';
import type { OutboxEntry } from '../domain/outbox.ts';
import type { ThreadItem } from '../domain/threads.ts';
import type { OutboxChange, StoredComment } from './ports.ts';

/** SNS takes 256 KB and e-mail carries the text twice: a very long comment is cut, the link stays. */
const NOTIFIED_TEXT_CHARS = 8000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Why an entry cannot be rendered: no retry will change it (the change goes to the dead letters). */
export class UnrenderableEntry extends Error {}

/**
 * The notification an outbox entry stands for, rendered from the record the entry was written in.
 * `undefined`: nothing is to be sent any more (a routed comment deleted in the same write).
 * Pure but for `commentOf`, which escalations need (the item does not hold the comment's text).
 */
export async function renderEntry(
  entry: OutboxEntry,
  change: OutboxChange,
  community: CommunityConfig,
  commentOf: (commentId: string) => Promise<Comment | undefined>,
): Promise<Notification | undefined> {
  const subject = change.subject;
  switch (entry.kind) {
    case 'comment.routed': {
      if (subject.kind !== 'comment')
        throw new UnrenderableEntry(`a routed entry in a ${subject.kind} record`);
      if (subject.comment.status !== 'active') return undefined;
      return commentRoutedNotification(routedMessage(subject.comment, entry, community), community.locale);
    }
    case 'member.welcome': {
      if (subject.kind !== 'member')
        throw new UnrenderableEntry(`a welcome entry in a ${subject.kind} record`);
      return welcomeNotification(welcomed(subject.member), community, new Date(entry.at));
    }
    case 'sla.escalated': {
      if (subject.kind !== 'item')
        throw new UnrenderableEntry(`an escalation entry in a ${subject.kind} record`);
      const comment = await commentOf(subject.item.commentId);
      return escalationNotification(
        escalationMessage(subject.item, entry, community, comment),
        community.locale,
      );
    }
    case 'digest':
      return entry.notification;
  }
}

function welcomed(member: Member) {
  return {
    key: member.key,
    name: member.name,
    firstCommentId: member.firstCommentId,
    firstSeenDay: member.firstSeenDay,
  };
}

function routedMessage(
  item: StoredComment,
  entry: Extract<OutboxEntry, { kind: 'comment.routed' }>,
  community: CommunityConfig,
): CommentRoutedMessage {
  const k = item.classification;
  return {
    schema: NOTIFICATION_SCHEMA,
    version: NOTIFICATION_VERSION,
    kind: 'comment.routed',
    id: entry.id,
    community: community.id,
    team: entry.team,
    priority: entry.priority,
    publishedAt: entry.at,
    rule: entry.rule,
    comment: { ...item.comment, text: clip(item.comment.text, NOTIFIED_TEXT_CHARS) },
    classification: {
      intent: k.intent,
      intents: k.intents,
      sentiment: k.sentiment.label,
      language: k.language,
      toxic: k.toxic.flag,
      toxicLabels: k.toxic.labels,
      spam: k.spam.flag,
      spamReasons: k.spam.reasons,
    },
  };
}

function escalationMessage(
  item: ThreadItem,
  entry: Extract<OutboxEntry, { kind: 'sla.escalated' }>,
  community: CommunityConfig,
  comment: Comment | undefined,
): SlaEscalatedMessage {
  return {
    schema: NOTIFICATION_SCHEMA,
    version: NOTIFICATION_VERSION,
    kind: 'sla.escalated',
    id: entry.id,
    community: community.id,
    team: entry.team,
    priority: entry.level === 1 ? 'high' : 'urgent',
    publishedAt: entry.at,
    level: entry.level,
    item: {
      commentId: item.commentId,
      threadId: item.threadId,
      createdAt: item.createdAt,
      dueAt: item.dueAt,
      owningTeam: item.team,
      waitingMinutes: Math.round((Date.parse(entry.at) - Date.parse(item.createdAt)) / 60_000),
    },
    ...(comment ? { comment: { ...comment, text: clip(comment.text, NOTIFIED_TEXT_CHARS) } } : {}),
  };
}
