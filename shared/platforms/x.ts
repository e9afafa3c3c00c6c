import * as z from 'zod';
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
 * X (Twitter) Account Activity API. X checks the endpoint with a CRC: a GET with `crc_token`,
 * answered `{"response_token":"sha256=<base64 HMAC-SHA256(consumer secret, crc_token)>"}` (at
 * registration and about hourly). Deliveries are POSTs signed as
 * `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, raw body)>`.
 * `tweet_create_events` holds mentions of the subscribed account, replies to it and its own
 * tweets (the brand's answers); `tweet_delete_events` holds deletions. Tweet ids are the dedupe keys.
 *
 * Threads: the payload names only the tweet replied to, not the conversation root. A member's
 * tweet that replies to nobody or to the brand is a new item (its own thread); any other reply
 * (the brand answering a member, a member answering a member) joins the thread of the tweet it
 * replies to, which is exact one level deep.
 */

const IdStr = z.string().regex(/^\d{1,25}$/, 'must be a numeric id string');

const Tweet = z.object({
  id_str: IdStr,
  created_at: z.string().max(64).optional(),
  timestamp_ms: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  text: z.string().max(100_000).optional(),
  full_text: z.string().max(100_000).optional(),
  extended_tweet: z
    .object({ full_text: z.string().max(100_000) })
    .loose()
    .optional(),
  in_reply_to_status_id_str: IdStr.nullish(),
  in_reply_to_user_id_str: IdStr.nullish(),
  user: z.object({
    id_str: IdStr,
    name: z.string().max(512).default(''),
    screen_name: z.string().max(64).optional(),
  }),
  retweeted_status: z.unknown().optional(),
});

const TweetDelete = z.object({
  status: z.object({ id: IdStr, user_id: IdStr }),
  timestamp_ms: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
});

const Body = z.object({
  for_user_id: IdStr,
  tweet_create_events: z.array(z.unknown()).optional(),
  tweet_delete_events: z.array(z.unknown()).optional(),
});

/**
 * X's CRC answers the HMAC of any token with the same key that signs deliveries, so an outsider
 * could make it sign a JSON body of their choosing. X's tokens are short opaque strings: only those
 * are answered, and no such string can ever parse as a delivery.
 */
const CRC_TOKEN = /^[A-Za-z0-9_\-+/=]{1,128}$/;

function answerCrc(token: string | undefined, ctx: SourceContext) {
  if (!token || !CRC_TOKEN.test(token)) {
    throw new ValidationError(
      'crc_token is missing or not a CRC token (letters, digits, _-+/=, at most 128)',
    );
  }
  const responseToken = `sha256=${hmacSha256(ctx.secret.signingKey, token).toString('base64')}`;
  return {
    kind: 'handshake' as const,
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify({ response_token: responseToken }),
  };
}

function isoFromMillis(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Number(value);
  return Number.isFinite(ms) && ms < 1e14 ? new Date(ms).toISOString() : undefined;
}

export const xSource: Source = {
  type: 'x',
  platforms: ['x'],
  handle(request, ctx) {
    if (request.method === 'GET') return answerCrc(request.query.crc_token, ctx);
    if (request.method !== 'POST') throw new ValidationError('the x source accepts GET (CRC) and POST only');
    const signature = request.headers['x-twitter-webhooks-signature'];
    const expected = hmacSha256(ctx.secret.signingKey, request.rawBody);
    if (!signature?.startsWith('sha256=') || !digestsMatch(expected, signature.slice(7), 'base64')) {
      throw new AuthError('x-twitter-webhooks-signature does not match');
    }

    const body = Body.safeParse(parseJsonBody(request.rawBody));
    if (!body.success) throw new ValidationError(`not an Account Activity event: ${describeZod(body.error)}`);
    const {
      for_user_id: owner,
      tweet_create_events: creates = [],
      tweet_delete_events: deletes = [],
    } = body.data;
    const brand = (userId: string) => userId === owner || isBrandAccount(ctx.community, 'x', userId);
    const prefix = ctx.source.id;
    const batch = new BatchCollector(ctx.now);

    for (const [index, raw] of creates.entries()) {
      try {
        const parsed = Tweet.safeParse(raw);
        if (!parsed.success) {
          batch.reject(index, describeZod(parsed.error));
          continue;
        }
        const t = parsed.data;
        if (t.retweeted_status !== undefined) continue; // a retweet repeats someone else's words
        const id = `${prefix}:${t.id_str}`;
        const authorIsBrand = brand(t.user.id_str);
        const parent = t.in_reply_to_status_id_str ?? undefined;
        const repliesToBrand = t.in_reply_to_user_id_str ? brand(t.in_reply_to_user_id_str) : false;
        const startsItem = !parent || (!authorIsBrand && repliesToBrand);
        const createdAt = isoFromMillis(t.timestamp_ms) ?? dateToIso(t.created_at);
        if (!createdAt) {
          batch.reject(index, 'created_at and timestamp_ms are both missing or invalid');
          continue;
        }
        batch.add(index, {
          kind: 'created',
          dedupeKey: `${id}#created`,
          comment: {
            id,
            platformId: t.id_str,
            source: prefix,
            platform: 'x',
            community: ctx.community.id,
            threadId: startsItem ? id : `${prefix}:${parent}`,
            ...(parent ? { parentId: `${prefix}:${parent}` } : {}),
            author: {
              id: t.user.id_str,
              name: t.user.screen_name ? `@${t.user.screen_name}` : t.user.name,
              isBrand: authorIsBrand,
              isAutomated: isAutomatedAccount(ctx.community, 'x', t.user.id_str),
            },
            text: t.extended_tweet?.full_text ?? t.full_text ?? t.text ?? '',
            createdAt,
            ...(t.user.screen_name && /^\w{1,15}$/.test(t.user.screen_name)
              ? { url: `https://x.com/${t.user.screen_name}/status/${t.id_str}` }
              : {}),
          },
        });
      } catch (error) {
        batch.reject(index, reasonOf(error));
      }
    }

    for (const [offset, raw] of deletes.entries()) {
      const index = creates.length + offset;
      try {
        const parsed = TweetDelete.safeParse(raw);
        if (!parsed.success) {
          batch.reject(index, describeZod(parsed.error));
          continue;
        }
        const { status, timestamp_ms } = parsed.data;
        const id = `${prefix}:${status.id}`;
        batch.add(index, {
          kind: 'deleted',
          dedupeKey: `${id}#deleted`,
          comment: {
            id,
            platformId: status.id,
            source: prefix,
            platform: 'x',
            community: ctx.community.id,
            // A deletion names only the tweet; the store finds its thread by id.
            threadId: id,
            author: {
              id: status.user_id,
              name: '',
              isBrand: brand(status.user_id),
              isAutomated: isAutomatedAccount(ctx.community, 'x', status.user_id),
            },
            text: '',
            createdAt: isoFromMillis(timestamp_ms) ?? ctx.now.toISOString(),
          },
        });
      } catch (error) {
        batch.reject(index, reasonOf(error));
      }
    }

    return batch.outcome(200, 'no tweet event in this delivery');
  },
};

/** Headers X would send with this body: for the local demo, benchmarks and tests. */
export function signXRequest(consumerSecret: string, rawBody: string | Buffer): Record<string, string> {
  return {
    'x-twitter-webhooks-signature': `sha256=${hmacSha256(consumerSecret, rawBody).toString('base64')}`,
  };
}
