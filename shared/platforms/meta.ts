import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { CommentEventKind, Platform } from '../domain/comment.ts';
import { AuthError, ValidationError } from '../domain/errors.ts';
import {
  BatchCollector,
  type DraftEvent,
  dateToIso,
  describeZod,
  parseJsonBodyExactIntegers,
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

/** Meta ids are numeric strings; older payloads and some fields send them as JSON numbers. */
const Id = z.union([z.string().min(1).max(256), z.number().int().nonnegative()]).transform(String);

const Entry = z.object({
  id: Id,
  time: z.number().nonnegative().optional(),
  changes: z.array(z.unknown()).optional(),
  // Instagram's newer examples show a single field/value on the entry itself.
  field: z.string().optional(),
  value: z.unknown().optional(),
});

// Fields such as `parking` or `payment_options` arrive with no value at all.
const Change = z.object({ field: z.string().max(128), value: z.unknown().optional() });

/** What decides whether a feed or mention change is kept; the rest is validated only then. */
const ItemVerb = z.object({ item: z.string().max(64), verb: z.string().max(64) }).loose();

// Newer Graph API versions name the author in `from`; older ones (and mentions) in sender_id/sender_name.
const Sender = {
  from: z
    .object({ id: Id, name: z.string().max(512).optional() })
    .loose()
    .optional(),
  sender_id: Id.optional(),
  sender_name: z.string().max(512).optional(),
};

const FeedValue = z.object({
  item: z.string(),
  verb: z.string(),
  comment_id: Id.optional(),
  post_id: Id.optional(),
  parent_id: Id.optional(),
  ...Sender,
  message: z.string().max(100_000).optional(),
  created_time: z.union([z.number(), z.string().max(64)]).optional(),
  post: z
    .object({ permalink_url: z.string().max(2048).optional() })
    .loose()
    .optional(),
});
type FeedValue = z.infer<typeof FeedValue>;

const InstagramValue = z.object({
  id: Id,
  text: z.string().max(100_000).default(''),
  parent_id: Id.optional(),
  // Absent before Instagram's 2021 change, still sent to apps on older API versions.
  from: z
    .object({ id: Id, username: z.string().max(512).optional() })
    .loose()
    .optional(),
  media: z.object({ id: Id.optional() }).loose().optional(),
});

const FEED_VERBS: Readonly<Record<string, CommentEventKind>> = {
  add: 'created',
  edited: 'edited',
  // Visitor-post edits say `edit` where other edits say `edited`.
  edit: 'edited',
  remove: 'deleted',
};
const FEED_POST_ITEMS = new Set(['status', 'post', 'photo', 'video']);
const MENTION_ITEMS = new Set(['post', 'comment']);

/** Subscribed fields that carry no comment text, acknowledged with the reason. */
const IDS_ONLY: Readonly<Record<string, string>> = {
  mentions:
    'Instagram @mentions carry ids only (media_id, comment_id): reading the text needs a Graph API call, which this source does not make',
};

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

type ChangeResult = { error: string } | { skip: string } | { draft: DraftEvent };

function authorFrom(v: Pick<FeedValue, 'from' | 'sender_id' | 'sender_name'>) {
  return { id: v.from?.id ?? v.sender_id, name: v.from?.name ?? v.sender_name ?? '' };
}

/** Reads item and verb only: a change the product does not keep is never validated further. */
function keptKind(
  value: unknown,
  items: ReadonlySet<string>,
  what: string,
): { kind: CommentEventKind } | { skip: string } | { error: string } {
  const header = ItemVerb.safeParse(value);
  if (!header.success) return { error: describeZod(header.error) };
  const { item, verb } = header.data;
  const kind = Object.hasOwn(FEED_VERBS, verb) ? FEED_VERBS[verb] : undefined;
  if (!kind || !items.has(item)) return { skip: `${what} ${item}.${verb} carries no comment` };
  return { kind };
}

function feedDraft(
  value: unknown,
  pageId: string,
  entryTime: number | undefined,
  ctx: SourceContext,
): ChangeResult {
  // Likes, reactions, shares, hide/unhide: verified but nothing to classify.
  const kept = keptKind(value, new Set(['comment', ...FEED_POST_ITEMS]), 'feed');
  if (!('kind' in kept)) return kept;
  const { kind } = kept;
  const parsed = FeedValue.safeParse(value);
  if (!parsed.success) return { error: describeZod(parsed.error) };
  const v = parsed.data;
  const isComment = v.item === 'comment';
  const platformId = isComment ? v.comment_id : v.post_id;
  if (!platformId) return { error: `${isComment ? 'comment_id' : 'post_id'} is missing` };
  const prefix = ctx.source.id;
  const id = `${prefix}:${platformId}`;
  // Facebook threads are two levels deep: a reply's parent_id is its top-level comment, a
  // top-level comment's parent_id is the post. A top-level comment is the member's item, and
  // the brand's reply to it lands in the same thread.
  const isReply = isComment && v.parent_id !== undefined && v.parent_id !== v.post_id;
  const threadId = isReply ? `${prefix}:${v.parent_id}` : id;
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
      author: authorOf('facebook', authorFrom(v), pageId, ctx),
      text,
      createdAt: createdAtOf(v.created_time, entryTime, ctx.now),
      ...(url && isHttpsUrl(url) ? { url } : {}),
    },
  };
  return { draft };
}

/** The Page was @mentioned in a post or comment elsewhere: a conversation of its own. */
function mentionDraft(
  value: unknown,
  pageId: string,
  entryTime: number | undefined,
  ctx: SourceContext,
): ChangeResult {
  const kept = keptKind(value, MENTION_ITEMS, 'mention');
  if (!('kind' in kept)) return kept;
  const { kind } = kept;
  const parsed = FeedValue.safeParse(value);
  if (!parsed.success) return { error: describeZod(parsed.error) };
  const v = parsed.data;
  const platformId = v.item === 'comment' ? v.comment_id : v.post_id;
  if (!platformId) return { error: `${v.item === 'comment' ? 'comment_id' : 'post_id'} is missing` };
  // Meta often sends a mention's ids without its text; there is nothing to classify then.
  if (kind !== 'deleted' && !v.message?.trim()) {
    return { skip: `mention ${v.item}.${v.verb} without message: Meta sent ids only` };
  }
  const prefix = ctx.source.id;
  const id = `${prefix}:${platformId}`;
  const text = v.message ?? '';
  return {
    draft: {
      kind,
      // The same ids as a feed change of the same comment: one comment, however it arrived.
      dedupeKey: kind === 'edited' ? `${id}#edited#${textFingerprint(text)}` : `${id}#${kind}`,
      comment: {
        id,
        platformId,
        source: prefix,
        platform: 'facebook',
        community: ctx.community.id,
        threadId: id,
        author: authorOf('facebook', authorFrom(v), pageId, ctx),
        text,
        createdAt: createdAtOf(v.created_time, entryTime, ctx.now),
      },
    },
  };
}

function createdAtOf(createdTime: number | string | undefined, entryTime: number | undefined, now: Date) {
  // Unix seconds in Page feed changes; an ISO string in some older payloads.
  return unixSecondsToIso(createdTime) ?? dateToIso(createdTime) ?? sentAt(entryTime, now);
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
      author: authorOf('instagram', { id: v.from?.id, name: v.from?.username ?? '' }, accountId, ctx),
      text: v.text,
      // The payload has no creation time; the time Meta sent it is within seconds of it.
      createdAt: sentAt(entryTime, ctx.now),
    },
  };
  return { draft };
}

function authorOf(
  platform: Platform,
  author: { id: string | undefined; name: string },
  ownerId: string,
  ctx: SourceContext,
) {
  if (author.id === undefined) {
    return { id: 'unknown', name: author.name, isBrand: false, isAutomated: false, unidentified: true };
  }
  return {
    id: author.id,
    name: author.name,
    // The entry's id is the Page / Instagram account the app is subscribed for: the brand itself.
    isBrand: author.id === ownerId || isBrandAccount(ctx.community, platform, author.id),
    isAutomated: isAutomatedAccount(ctx.community, platform, author.id),
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
      .safeParse(parseJsonBodyExactIntegers(request.rawBody));
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
          const result = draftOf(platform, name, changeValue, ownerId, time, ctx);
          if ('error' in result) batch.reject(at, `${name}: ${result.error}`);
          else if ('skip' in result) batch.skip(at, result.skip);
          else batch.add(at, result.draft);
        } catch (error) {
          batch.reject(at, reasonOf(error));
        }
      }
    }
    // Meta retries anything but a 200 for 36 hours: every verified notification is acknowledged,
    // the unusable changes reported by position.
    return batch.outcome(200, 'no comment in this notification', { acknowledgeRejections: true });
  },
};

/** Filters by object and field first: only the fields the product reads are validated. */
function draftOf(
  platform: 'facebook' | 'instagram',
  field: string,
  value: unknown,
  ownerId: string,
  time: number | undefined,
  ctx: SourceContext,
): ChangeResult {
  if (platform === 'facebook' && field === 'feed') return feedDraft(value, ownerId, time, ctx);
  if (platform === 'facebook' && field === 'mention') return mentionDraft(value, ownerId, time, ctx);
  if (platform === 'instagram' && (field === 'comments' || field === 'live_comments'))
    return instagramDraft(value, ownerId, time, ctx);
  const idsOnly = Object.hasOwn(IDS_ONLY, field) ? IDS_ONLY[field] : undefined;
  return { skip: idsOnly ?? `field "${field}" carries no comment` };
}

/** Headers Meta would send with this body: for the local demo, benchmarks and tests. */
export function signMetaRequest(appSecret: string, rawBody: string | Buffer): Record<string, string> {
  return { 'x-hub-signature-256': `sha256=${hmacSha256(appSecret, rawBody).toString('hex')}` };
}
