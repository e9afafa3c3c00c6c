import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { CommentEventKind, Platform } from '../domain/comment.ts';
import { AuthError, ValidationError } from '../domain/errors.ts';
import {
  BatchCollector,
  type DraftEvent,
  dateToIso,
  describeZod,
  parseJsonBody,
  reasonOf,
  textFingerprint,
  unixSecondsToIso,
} from './parse-helpers.ts';
import {
  digestsMatch,
  hmacSha256,
  isAutomatedAccount,
  isBrandAccount,
  type Source,
  type SourceContext,
  type WebhookRequest,
} from './source.ts';

/**
 * Meta webhooks (Graph API): one app, two objects.
 * - `object: "page"`, field `feed`: Facebook Page posts and comments, `verb` add | edited | remove.
 * - `object: "instagram"`, fields `comments` and `live_comments`: Instagram comments (creation only;
 *   Meta sends no edit or delete notification for them).
 * Signed as `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. Meta escapes
 * non-ASCII characters as \uXXXX in the body it signs, so the check must run on the raw bytes.
 * The endpoint is verified once with a GET (hub.mode, hub.verify_token, hub.challenge).
 * Meta has no delivery id and retries for up to 36 hours: events are deduped on comment id + verb.
 */

const Entry = z.object({
  id: z.string().min(1).max(128),
  time: z.number().nonnegative().optional(),
  changes: z.array(z.unknown()).optional(),
  // Instagram's newer examples show a single field/value on the entry itself.
  field: z.string().optional(),
  value: z.unknown().optional(),
});

const Change = z.object({ field: z.string(), value: z.unknown() });

const Id = z.string().min(1).max(256);

const FeedValue = z.object({
  item: z.string(),
  verb: z.string(),
  comment_id: Id.optional(),
  post_id: Id.optional(),
  parent_id: Id.optional(),
  from: z.object({ id: Id, name: z.string().max(512).optional() }).optional(),
  message: z.string().max(100_000).optional(),
  created_time: z.union([z.number(), z.string().max(64)]).optional(),
  post: z
    .object({ permalink_url: z.string().max(2048).optional() })
    .loose()
    .optional(),
});

const InstagramValue = z.object({
  id: Id,
  text: z.string().max(100_000).default(''),
  parent_id: Id.optional(),
  from: z.object({ id: Id, username: z.string().max(512).optional() }),
  media: z.object({ id: Id.optional() }).loose().optional(),
});

const FEED_VERBS: Readonly<Record<string, CommentEventKind>> = {
  add: 'created',
  edited: 'edited',
  remove: 'deleted',
};
const FEED_POST_ITEMS = new Set(['status', 'post', 'photo', 'video']);

function answerVerification(request: WebhookRequest, secret: SourceContext['secret']) {
  const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = request.query;
  if (mode !== 'subscribe') throw new ValidationError('hub.mode must be "subscribe"');
  if (!secret.verifyToken) throw new AuthError('no verify token is configured for this source');
  // Compared as HMACs: equal lengths whatever was sent, so timing tells nothing of the token.
  const expected = hmacSha256(secret.verifyToken, 'hub.verify_token');
  const given = hmacSha256(token ?? '', 'hub.verify_token');
  if (!timingSafeEqual(given, expected)) {
    throw new AuthError('hub.verify_token does not match');
  }
  // Echoed verbatim as text/plain; bounding it keeps the endpoint from reflecting arbitrary markup.
  if (!challenge || !/^[\x21-\x7e]{1,512}$/.test(challenge)) {
    throw new ValidationError('hub.challenge is missing or not printable ASCII');
  }
  return { kind: 'handshake' as const, status: 200, contentType: 'text/plain', body: challenge };
}

function sentAt(entryTime: number | undefined, now: Date): string {
  // Page changes carry seconds; some Meta products send milliseconds in the same field.
  if (entryTime === undefined) return now.toISOString();
  return unixSecondsToIso(entryTime > 1e11 ? entryTime / 1000 : entryTime) ?? now.toISOString();
}

function commentPermalink(postUrl: string | undefined, commentId: string): string | undefined {
  if (!postUrl) return undefined;
  try {
    const url = new URL(postUrl);
    if (url.protocol !== 'https:') return undefined;
    url.searchParams.set('comment_id', commentId.split('_').pop() ?? commentId);
    return url.toString();
  } catch {
    return undefined;
  }
}

type ChangeResult = { error: string } | { skip: true } | { draft: DraftEvent };

function feedDraft(
  value: unknown,
  pageId: string,
  entryTime: number | undefined,
  ctx: SourceContext,
): ChangeResult {
  const parsed = FeedValue.safeParse(value);
  if (!parsed.success) return { error: describeZod(parsed.error) };
  const v = parsed.data;
  const kind = FEED_VERBS[v.verb];
  const isComment = v.item === 'comment';
  // Likes, reactions, shares, hide/unhide: verified but nothing to classify.
  if (!kind || (!isComment && !FEED_POST_ITEMS.has(v.item))) return { skip: true };
  const platformId = isComment ? v.comment_id : v.post_id;
  if (!platformId) return { error: `${isComment ? 'comment_id' : 'post_id'} is missing` };
  if (kind !== 'deleted' && !v.from) return { error: 'from is missing' };
  const prefix = ctx.source.id;
  const id = `${prefix}:${platformId}`;
  // Facebook threads are two levels deep: a reply's parent_id is its top-level comment, a
  // top-level comment's parent_id is the post. A top-level comment is the member's item, and
  // the brand's reply to it lands in the same thread.
  const isReply = isComment && v.parent_id !== undefined && v.parent_id !== v.post_id;
  const threadId = isReply ? `${prefix}:${v.parent_id}` : id;
  // Unix seconds in Page feed changes; an ISO string in some older payloads.
  const createdAt =
    unixSecondsToIso(v.created_time) ?? dateToIso(v.created_time) ?? sentAt(entryTime, ctx.now);
  const authorId = v.from?.id ?? 'unknown';
  const text = v.message ?? '';
  const url = isComment ? commentPermalink(v.post?.permalink_url, platformId) : v.post?.permalink_url;
  const draft: DraftEvent = {
    kind,
    dedupeKey: kind === 'edited' ? `${id}#edited#${textFingerprint(text)}` : `${id}#${kind}`,
    comment: {
      id,
      platformId,
      source: prefix,
      platform: 'facebook',
      community: ctx.community.id,
      threadId,
      ...(isComment && v.parent_id ? { parentId: `${prefix}:${v.parent_id}` } : {}),
      author: authorOf('facebook', authorId, v.from?.name ?? '', pageId, ctx),
      text,
      createdAt,
      ...(url && isHttpsUrl(url) ? { url } : {}),
    },
  };
  return { draft };
}

function instagramDraft(
  value: unknown,
  accountId: string,
  entryTime: number | undefined,
  ctx: SourceContext,
): ChangeResult {
  const parsed = InstagramValue.safeParse(value);
  if (!parsed.success) return { error: describeZod(parsed.error) };
  const v = parsed.data;
  const prefix = ctx.source.id;
  const id = `${prefix}:${v.id}`;
  const draft: DraftEvent = {
    kind: 'created',
    dedupeKey: `${id}#created`,
    comment: {
      id,
      platformId: v.id,
      source: prefix,
      platform: 'instagram',
      community: ctx.community.id,
      // Instagram replies are flattened under the top-level comment, like Facebook's.
      threadId: v.parent_id ? `${prefix}:${v.parent_id}` : id,
      ...(v.parent_id ? { parentId: `${prefix}:${v.parent_id}` } : {}),
      author: authorOf('instagram', v.from.id, v.from.username ?? '', accountId, ctx),
      text: v.text,
      // The payload has no creation time; the time Meta sent it is within seconds of it.
      createdAt: sentAt(entryTime, ctx.now),
    },
  };
  return { draft };
}

function authorOf(platform: Platform, authorId: string, name: string, ownerId: string, ctx: SourceContext) {
  return {
    id: authorId,
    name,
    // The entry's id is the Page / Instagram account the app is subscribed for: the brand itself.
    isBrand: authorId === ownerId || isBrandAccount(ctx.community, platform, authorId),
    isAutomated: isAutomatedAccount(ctx.community, platform, authorId),
  };
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

export const metaSource: Source = {
  type: 'meta',
  platforms: ['facebook', 'instagram'],
  handle(request, ctx) {
    if (request.method === 'GET') return answerVerification(request, ctx.secret);
    if (request.method !== 'POST')
      throw new ValidationError('the meta source accepts GET (verification) and POST only');

    const signature = request.headers['x-hub-signature-256'];
    const expected = hmacSha256(ctx.secret.signingKey, request.rawBody);
    if (!signature?.startsWith('sha256=') || !digestsMatch(expected, signature.slice(7), 'hex')) {
      throw new AuthError('X-Hub-Signature-256 does not match');
    }

    const body = z
      .object({ object: z.string(), entry: z.array(z.unknown()) })
      .safeParse(parseJsonBody(request.rawBody));
    if (!body.success)
      throw new ValidationError(`not a Meta webhook notification: ${describeZod(body.error)}`);
    const platform =
      body.data.object === 'page' ? 'facebook' : body.data.object === 'instagram' ? 'instagram' : undefined;
    // Meta wants 200 for every notification it delivered, including objects we do not subscribe to.
    if (!platform)
      return { kind: 'ignored', status: 200, reason: `object "${body.data.object}" carries no comments` };

    const batch = new BatchCollector(ctx.now);
    let index = 0;
    for (const rawEntry of body.data.entry) {
      const entry = Entry.safeParse(rawEntry);
      if (!entry.success) {
        batch.reject(index++, `entry: ${describeZod(entry.error)}`);
        continue;
      }
      const { id: ownerId, time, changes, field, value } = entry.data;
      const list: unknown[] = changes ?? (field !== undefined ? [{ field, value }] : []);
      for (const rawChange of list) {
        const at = index++;
        try {
          const change = Change.safeParse(rawChange);
          if (!change.success) {
            batch.reject(at, describeZod(change.error));
            continue;
          }
          const { field: name, value: changeValue } = change.data;
          const result: ChangeResult =
            platform === 'facebook' && name === 'feed'
              ? feedDraft(changeValue, ownerId, time, ctx)
              : platform === 'instagram' && (name === 'comments' || name === 'live_comments')
                ? instagramDraft(changeValue, ownerId, time, ctx)
                : { skip: true as const };
          if ('error' in result) batch.reject(at, `${name}: ${result.error}`);
          else if ('draft' in result) batch.add(at, result.draft);
        } catch (error) {
          batch.reject(at, reasonOf(error));
        }
      }
    }
    return batch.outcome(200, 'no comment in this notification');
  },
};

/** Headers Meta would send with this body: for the local demo, benchmarks and tests. */
export function signMetaRequest(appSecret: string, rawBody: string | Buffer): Record<string, string> {
  return { 'x-hub-signature-256': `sha256=${hmacSha256(appSecret, rawBody).toString('hex')}` };
}
