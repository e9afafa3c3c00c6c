import { z } from 'zod';
import type { CommentEventKind } from '../domain/comment.ts';
import { AuthError, ValidationError } from '../domain/errors.ts';
import { BatchCollector, describeZod, parseJsonBody, reasonOf, unixSecondsToIso } from './parse-helpers.ts';
import {
  assertFreshTimestamp,
  digestsMatch,
  hmacSha256,
  isAutomatedAccount,
  isBrandAccount,
  type Source,
  type SourceContext,
} from './source.ts';

/**
 * Slack Events API. Signed as `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body)>`, timestamp within 5 minutes. The Request URL
 * is verified with a signed `url_verification` POST whose `challenge` is echoed. Slack wants a 200
 * within 3 s and retries with `X-Slack-Retry-Num`, keeping the `event_id`: that is the dedupe key.
 *
 * Only `message` events in the configured channels become comments. Bot messages are ignored,
 * except those of the brand's own bot or user (listed in brandAccounts.slack), which are the
 * brand's answers. Edits (`message_changed`) and deletions (`message_deleted`) are their own kinds.
 *
 * Options: `channels` (channel ids to listen to; all when absent), `workspaceUrl`
 * (e.g. https://velo-lumiere.slack.com, to build permalinks).
 */

/** Validated here per request; exported so the config loader can reject bad options at start. */
export const SlackOptions = z.object({
  channels: z.array(z.string().min(1)).optional(),
  workspaceUrl: z.url({ protocol: /^https$/ }).optional(),
});

const Envelope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string() }),
  z.object({
    type: z.literal('event_callback'),
    event_id: z.string().min(1).max(256),
    team_id: z.string().optional(),
    event: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('app_rate_limited') }),
]);

const Ts = z.string().regex(/^\d{1,12}\.\d{1,9}$/, 'must be a Slack timestamp');

const Message = z.object({
  type: z.literal('message').optional(),
  subtype: z.string().optional(),
  user: z.string().min(1).max(64).optional(),
  bot_id: z.string().min(1).max(64).optional(),
  username: z.string().max(256).optional(),
  text: z.string().max(100_000).default(''),
  ts: Ts,
  thread_ts: Ts.optional(),
  edited: z.object({ ts: Ts }).loose().optional(),
  user_profile: z
    .object({ display_name: z.string().optional(), real_name: z.string().optional() })
    .loose()
    .optional(),
  bot_profile: z.object({ name: z.string().optional() }).loose().optional(),
});
type Message = z.infer<typeof Message>;

const MessageEvent = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  channel: z.string().min(1).max(64),
  // Present on message_changed / message_deleted.
  message: z.unknown().optional(),
  previous_message: z.unknown().optional(),
  deleted_ts: Ts.optional(),
});

/** Subtypes that are a person's (or the brand bot's) words; the rest are channel housekeeping. */
const CONTENT_SUBTYPES = new Set([undefined, 'bot_message', 'file_share', 'thread_broadcast', 'me_message']);

/** Slack escapes exactly these three characters in message text. */
function unescapeSlack(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function verify(request: { headers: Readonly<Record<string, string>>; rawBody: Buffer }, ctx: SourceContext) {
  const timestamp = request.headers['x-slack-request-timestamp'];
  assertFreshTimestamp(timestamp, ctx.now);
  const expected = hmacSha256(ctx.secret.signingKey, `v0:${timestamp}:`, request.rawBody);
  const signature = request.headers['x-slack-signature'];
  if (!signature?.startsWith('v0=') || !digestsMatch(expected, signature.slice(3), 'hex')) {
    throw new AuthError('X-Slack-Signature does not match');
  }
}

export const slackSource: Source = {
  type: 'slack',
  platforms: ['slack'],
  handle(request, ctx) {
    if (request.method !== 'POST') throw new ValidationError('the slack source accepts POST only');
    verify(request, ctx);

    const envelope = Envelope.safeParse(parseJsonBody(request.rawBody));
    if (!envelope.success)
      throw new ValidationError(`not a Slack Events API request: ${describeZod(envelope.error)}`);
    const body = envelope.data;
    if (body.type === 'url_verification') {
      return { kind: 'handshake', status: 200, contentType: 'text/plain', body: body.challenge };
    }
    if (body.type === 'app_rate_limited')
      return { kind: 'ignored', status: 200, reason: 'app_rate_limited notice' };

    // Unreadable options fall back to every channel: a misconfiguration must not lose comments.
    const options = SlackOptions.safeParse(ctx.source.options);
    const channels = options.success ? options.data.channels : undefined;
    const workspaceUrl = options.success ? options.data.workspaceUrl : undefined;

    if (body.event.type !== 'message') {
      return {
        kind: 'ignored',
        status: 200,
        reason: `event type "${String(body.event.type)}" carries no comment`,
      };
    }
    const event = MessageEvent.safeParse(body.event);
    if (!event.success) throw new ValidationError(`message event: ${describeZod(event.error)}`);
    const e = event.data;
    if (channels && !channels.includes(e.channel)) {
      return { kind: 'ignored', status: 200, reason: `channel ${e.channel} is not configured` };
    }

    let kind: CommentEventKind;
    let raw: unknown;
    if (e.subtype === 'message_changed') {
      kind = 'edited';
      raw = e.message;
    } else if (e.subtype === 'message_deleted') {
      kind = 'deleted';
      raw = e.previous_message ?? (e.deleted_ts ? { ts: e.deleted_ts } : undefined);
    } else if (CONTENT_SUBTYPES.has(e.subtype)) {
      kind = 'created';
      raw = body.event;
    } else {
      return { kind: 'ignored', status: 200, reason: `message subtype "${e.subtype}" is not a comment` };
    }

    const parsed = Message.safeParse(raw);
    if (!parsed.success) throw new ValidationError(`message: ${describeZod(parsed.error)}`);
    const m: Message = parsed.data;
    const authorId = m.user ?? m.bot_id;
    if (!authorId && kind !== 'deleted') throw new ValidationError('message has neither user nor bot_id');
    const isBrand =
      (m.user !== undefined && isBrandAccount(ctx.community, 'slack', m.user)) ||
      (m.bot_id !== undefined && isBrandAccount(ctx.community, 'slack', m.bot_id));
    const fromBot = m.bot_id !== undefined || m.subtype === 'bot_message';
    if (fromBot && !isBrand && kind !== 'deleted') {
      return { kind: 'ignored', status: 200, reason: 'message from a bot that is not the brand' };
    }

    const prefix = ctx.source.id;
    // A message ts is unique within its channel only.
    const platformId = `${e.channel}/${m.ts}`;
    const id = `${prefix}:${platformId}`;
    const rootTs = m.thread_ts ?? m.ts;
    const createdAt = unixSecondsToIso(m.ts);
    if (!createdAt) throw new ValidationError('message ts is out of range');
    const batch = new BatchCollector(ctx.now);
    try {
      batch.add(0, {
        kind,
        // The same event_id on every retry (X-Slack-Retry-Num); each edit is a new event with its own id.
        dedupeKey: `${prefix}:${body.event_id}`,
        comment: {
          id,
          platformId,
          source: prefix,
          platform: 'slack',
          community: ctx.community.id,
          threadId: `${prefix}:${e.channel}/${rootTs}`,
          ...(m.thread_ts && m.thread_ts !== m.ts
            ? { parentId: `${prefix}:${e.channel}/${m.thread_ts}` }
            : {}),
          author: {
            id: authorId ?? 'unknown',
            name:
              m.user_profile?.display_name ||
              m.user_profile?.real_name ||
              m.bot_profile?.name ||
              m.username ||
              '',
            isBrand,
            isAutomated: authorId !== undefined && isAutomatedAccount(ctx.community, 'slack', authorId),
          },
          text: unescapeSlack(m.text),
          createdAt,
          ...(workspaceUrl
            ? { url: `${workspaceUrl.replace(/\/$/, '')}/archives/${e.channel}/p${m.ts.replace('.', '')}` }
            : {}),
        },
      });
    } catch (error) {
      batch.reject(0, reasonOf(error));
    }
    return batch.outcome(200, 'nothing to enqueue');
  },
};

/** Headers Slack would send with this body: for the local demo, benchmarks and tests. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string | Buffer,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = hmacSha256(signingSecret, `v0:${timestamp}:`, rawBody).toString('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}
