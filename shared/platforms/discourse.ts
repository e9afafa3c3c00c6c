import * as z from 'zod';
import type { CommentEventKind } from '../domain/comment.ts';
import { AuthError, ValidationError } from '../domain/errors.ts';
import { BatchCollector, dateToIso, describeZod, parseJsonBody, reasonOf } from './parse-helpers.ts';
import {
  digestsMatch,
  hmacSha256,
  isAutomatedAccount,
  isBrandAccount,
  type Source,
  type SourceContext,
} from './source.ts';

/**
 * Discourse webhooks (Admin → API → Webhooks, content type application/json, "Post Event").
 * Signed as `X-Discourse-Event-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`; the event is
 * named by `X-Discourse-Event` (ping, post_created, post_edited, post_destroyed...).
 * `X-Discourse-Event-Id` changes on every retry, so events are deduped on post id + event
 * (+ post version for edits). Topics are the threads; the first post of a topic is the question.
 * Whispers, small actions (topic closed, pinned) and private messages are not community comments.
 *
 * A post its author deletes is first withdrawn (`user_deleted`, `deleted_at` still null) and purged
 * a day later (`deleted_at` set); both fire `post_destroyed`, and both are the same deletion.
 *
 * Options: `brandRoles` — Discourse's own staff flags (`admin`, `moderator`, `staff`) whose posts
 * count as the brand's. Off by default: on many forums moderators are volunteer members.
 */

/** Validated here per request; exported so the config loader can reject bad options at start. */
export const DiscourseOptions = z.object({
  brandRoles: z.array(z.enum(['admin', 'moderator', 'staff'])).optional(),
});

const Post = z.object({
  id: z.number().int().positive(),
  username: z.string().min(1).max(256),
  name: z.string().max(512).nullish(),
  created_at: z.string().max(64),
  post_number: z.number().int().positive(),
  post_type: z.number().int().default(1),
  topic_id: z.number().int().positive(),
  topic_slug: z.string().max(512).optional(),
  topic_archetype: z.string().optional(),
  version: z.number().int().positive().default(1),
  raw: z.string().max(200_000).optional(),
  cooked: z.string().max(400_000).optional(),
  user_id: z.number().int().optional(),
  deleted_at: z.string().max(64).nullish(),
  user_deleted: z.boolean().nullish(),
  admin: z.boolean().nullish(),
  moderator: z.boolean().nullish(),
  staff: z.boolean().nullish(),
});
type Post = z.infer<typeof Post>;

const EVENTS: Readonly<Record<string, CommentEventKind>> = {
  post_created: 'created',
  post_edited: 'edited',
  post_destroyed: 'deleted',
};

/** Events about a post that change nothing the product keeps: acknowledged with the reason. */
const ACKNOWLEDGED: Readonly<Record<string, string>> = {
  post_recovered:
    'post_recovered (undo of a deletion): a withdrawn comment is not restored; its KPIs stay withdrawn',
};

const POST_TYPE_REGULAR = 1;

function hasBrandRole(post: Post, ctx: SourceContext): boolean {
  // Unreadable options give no role: a typo must never make members the brand.
  const options = DiscourseOptions.safeParse(ctx.source.options);
  const roles = options.success ? (options.data.brandRoles ?? []) : [];
  return roles.some((role) => post[role] === true);
}

/** Plain text of Discourse's rendered HTML, for payloads sent without `raw`. */
function textOfCooked(html: string): string {
  return html
    .replace(/<[^<>]*>/g, ' ') // [^<>]: linear even on a run of "<"
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function instanceUrl(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    const url = new URL(header);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

export const discourseSource: Source = {
  type: 'discourse',
  platforms: ['discourse'],
  handle(request, ctx) {
    if (request.method !== 'POST') throw new ValidationError('the discourse source accepts POST only');
    const signature = request.headers['x-discourse-event-signature'];
    const expected = hmacSha256(ctx.secret.signingKey, request.rawBody);
    if (!signature?.startsWith('sha256=') || !digestsMatch(expected, signature.slice(7), 'hex')) {
      throw new AuthError('X-Discourse-Event-Signature does not match');
    }

    const eventName = request.headers['x-discourse-event'];
    if (!eventName) throw new ValidationError('X-Discourse-Event header is missing');
    const body = z.record(z.string(), z.unknown()).safeParse(parseJsonBody(request.rawBody));
    if (!body.success) throw new ValidationError('body must be a JSON object');
    if (eventName === 'ping') return { kind: 'ignored', status: 200, reason: 'ping' };
    const acknowledged = Object.hasOwn(ACKNOWLEDGED, eventName) ? ACKNOWLEDGED[eventName] : undefined;
    if (acknowledged) return { kind: 'ignored', status: 200, reason: acknowledged };
    const kind = Object.hasOwn(EVENTS, eventName) ? EVENTS[eventName] : undefined;
    if (!kind) return { kind: 'ignored', status: 200, reason: `event "${eventName}" carries no comment` };

    const parsed = Post.safeParse(body.data.post);
    if (!parsed.success) throw new ValidationError(`post: ${describeZod(parsed.error)}`);
    const p = parsed.data;
    // The event header is not signed. A deletion is a deletion whatever `deleted_at` says (a post its
    // author withdraws has none yet), but a post the signed body says is deleted never becomes a
    // new or edited comment: a captured deletion replayed under another header changes nothing.
    if (kind !== 'deleted' && p.deleted_at) {
      return { kind: 'ignored', status: 200, reason: `${eventName} of a deleted post (deleted_at is set)` };
    }
    if (p.topic_archetype === 'private_message')
      return { kind: 'ignored', status: 200, reason: 'private message' };
    if (p.post_type !== POST_TYPE_REGULAR) {
      return { kind: 'ignored', status: 200, reason: `post_type ${p.post_type} is not a regular post` };
    }
    const createdAt = dateToIso(p.created_at);
    if (!createdAt) throw new ValidationError('post.created_at is not a date');

    const prefix = ctx.source.id;
    const id = `${prefix}:${p.id}`;
    const base = instanceUrl(request.headers['x-discourse-instance']);
    const batch = new BatchCollector(ctx.now);
    try {
      batch.add(0, {
        kind,
        dedupeKey: kind === 'edited' ? `${id}#edited#v${p.version}` : `${id}#${kind}`,
        comment: {
          id,
          platformId: String(p.id),
          source: prefix,
          platform: 'discourse',
          community: ctx.community.id,
          threadId: `${prefix}:topic/${p.topic_id}`,
          // No parentId: Discourse names the replied-to post by its number in the topic, not by the
          // id the comment ids are built from; the topic is the thread either way.
          author: {
            id: p.username,
            // Discourse sends "" for users who never set a full name.
            name: p.name?.trim() || p.username,
            isBrand: isBrandAccount(ctx.community, 'discourse', p.username) || hasBrandRole(p, ctx),
            isAutomated: isAutomatedAccount(ctx.community, 'discourse', p.username) || (p.user_id ?? 0) < 0,
          },
          text: p.raw ?? textOfCooked(p.cooked ?? ''),
          createdAt,
          ...(base ? { url: `${base}/t/${p.topic_slug ?? '-'}/${p.topic_id}/${p.post_number}` } : {}),
        },
      });
    } catch (error) {
      batch.reject(0, reasonOf(error));
    }
    return batch.outcome(200, 'nothing to enqueue');
  },
};

/** Headers Discourse would send with this body: for the local demo, benchmarks and tests. */
export function signDiscourseRequest(
  secret: string,
  rawBody: string | Buffer,
  event: string,
): Record<string, string> {
  return {
    'x-discourse-event': event,
    'x-discourse-event-type': event === 'ping' ? 'ping' : (event.split('_')[0] ?? event),
    'x-discourse-event-signature': `sha256=${hmacSha256(secret, rawBody).toString('hex')}`,
  };
}
