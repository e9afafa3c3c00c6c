import * as z from 'zod';

export const PLATFORMS = [
  'facebook',
  'instagram',
  'slack',
  'discourse',
  'github',
  'x',
  'youtube',
  'reddit',
  'generic',
] as const;
export const Platform = z.enum(PLATFORMS);
export type Platform = z.infer<typeof Platform>;

export const Author = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** True when the author is one of the community's brand accounts: their replies answer members. */
  isBrand: z.boolean(),
  /** True for automated accounts (bots, the product's own replies): their replies never stop an SLA clock. */
  isAutomated: z.boolean().default(false),
  /**
   * True when the platform did not say who wrote it (older Instagram payloads, some deletions):
   * `id` is the placeholder `unknown`, shared by every such comment, and names no member.
   */
  unidentified: z.boolean().optional(),
  /**
   * True when the platform gave no display name and none could be looked up in time (Slack
   * deliveries rarely carry one): `name` then holds the platform's user id.
   */
  nameMissing: z.boolean().optional(),
});
export type Author = z.infer<typeof Author>;

/** One comment, post or reply, whatever platform it came from. */
export const Comment = z.object({
  /** Stable, globally unique: `<source id>:<platform's own id>`. */
  id: z.string().min(1),
  /** The id the platform gave it. */
  platformId: z.string().min(1),
  source: z.string().min(1),
  platform: Platform,
  community: z.string().min(1),
  /** The conversation it belongs to (post, topic, discussion, tweet thread). A root comment is its own thread. */
  threadId: z.string().min(1),
  /** The comment it replies to, when the platform says so. */
  parentId: z.string().min(1).optional(),
  author: Author,
  text: z.string(),
  /**
   * What the classifier should read instead of `text`, when the platform's markup would mislead it
   * (Slack's `<@U…>`, `<#C…|general>`, `<https://…|label>` reduced to `@user`, `#general`,
   * `label https://…`). Absent when it would equal `text`; `text` stays as written, for display.
   */
  classifierText: z.string().max(20_000).optional(),
  /**
   * Present when the comment shares or forwards another message. When the sharer wrote nothing
   * of their own, `text` is the shared message's text.
   */
  sharedFrom: z
    .object({
      authorId: z.string().min(1).max(256).optional(),
      authorName: z.string().max(512).optional(),
      url: z.url().optional(),
    })
    .optional(),
  /** When the platform says it was written (ISO 8601, UTC). */
  createdAt: z.iso.datetime({ offset: true }),
  url: z.url().optional(),
});
export type Comment = z.infer<typeof Comment>;

export const CommentEventKind = z.enum(['created', 'edited', 'deleted']);
export type CommentEventKind = z.infer<typeof CommentEventKind>;

/**
 * What travels on the queue: one event about one comment. `dedupeKey` is what makes a redelivery
 * (platform retry, queue redelivery, replayed webhook) recognisable as the same event.
 */
export const CommentEvent = z.object({
  version: z.literal(1),
  kind: CommentEventKind,
  dedupeKey: z.string().min(1).max(1024),
  comment: Comment,
  receivedAt: z.iso.datetime({ offset: true }),
});
export type CommentEvent = z.infer<typeof CommentEvent>;
