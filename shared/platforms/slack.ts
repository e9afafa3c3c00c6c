import * as z from 'zod';
import type { CommentEvent, CommentEventKind } from '../domain/comment.ts';
import { AuthError, ValidationError } from '../domain/errors.ts';
import { BatchCollector, describeZod, parseJsonBody, reasonOf, unixSecondsToIso } from './parse-helpers.ts';
import type { SlackUserDirectory } from './slack-users.ts';
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
 * Only `message` events in the configured channels become comments. Bot messages (Slackbot,
 * `USLACKBOT`, included: it sends no bot_id) are ignored, except those of the brand's own bot or
 * user (listed in brandAccounts.slack), which are the brand's answers. Edits (`message_changed`)
 * and deletions (`message_deleted`, or the tombstone Slack leaves for a deleted thread parent) are
 * their own kinds; a `message_changed` that only adds a link preview is not an edit. A shared or
 * forwarded message carries its content in `attachments`: that text is used when the sharer wrote
 * nothing, and the comment says it is a share. A message with no text at all is not enqueued.
 * `text` keeps Slack's markup for display; `classifierText` reads it as plain words.
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
  // Read one by one (shareOf): an odd attachment must not make the message unreadable.
  attachments: z.array(z.unknown()).max(100).optional(),
});
type Message = z.infer<typeof Message>;

/** What decides how a message_changed is read, before the message itself is validated. */
const ChangedMessage = z
  .object({
    subtype: z.string().optional(),
    text: z.string().optional(),
    edited: z.unknown().optional(),
  })
  .loose();

/** A shared or forwarded message, or the unfurl of a message link, as `attachments` carry it. */
const ShareAttachment = z
  .object({
    is_share: z.boolean().optional(),
    is_msg_unfurl: z.boolean().optional(),
    text: z.string().max(100_000).optional(),
    fallback: z.string().max(100_000).optional(),
    author_id: z.string().min(1).max(64).optional(),
    author_name: z.string().max(512).optional(),
    author_subname: z.string().max(512).optional(),
    from_url: z.string().max(2048).optional(),
  })
  .loose();

/** Slackbot's user id: it posts notices ("You have been removed from #…") with no bot_id. */
const SLACKBOT = 'USLACKBOT';

/** The classifier reads at most this many characters of a comment's classifierText. */
const CLASSIFIER_TEXT_MAX = 5_000;

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

/**
 * Slack's markup as plain words for the classifier, from the escaped text (a literal `<` is always
 * `&lt;` there, so every `<…>` is markup): `<@U…>` → `@user` (its label when it has one),
 * `<#C…|general>` → `#general`, `<!here>` → `@here`, `<!subteam^…|@team>` → `@team`,
 * `<!date^…|fallback>` → the fallback, `<https://…|label>` → `label https://…`. Links are kept as
 * plain URLs: the spam model reads them.
 */
export function slackTextForClassifier(escaped: string): string {
  const plain = unescapeSlack(escaped.replace(/<([^<>]*)>/g, (_, inner: string) => markupWords(inner)));
  const points = Array.from(plain);
  return points.length > CLASSIFIER_TEXT_MAX ? points.slice(0, CLASSIFIER_TEXT_MAX).join('') : plain;
}

function markupWords(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : inner.slice(bar + 1) || undefined;
  const handle = (fallback: string) => `@${(label ?? fallback).replace(/^@/, '')}`;
  if (target.startsWith('@')) return handle('user');
  if (target.startsWith('#')) return `#${label ?? 'channel'}`;
  if (target.startsWith('!')) {
    const command = target.slice(1).split('^')[0];
    if (command === 'here' || command === 'channel' || command === 'everyone') return `@${command}`;
    if (command === 'subteam') return handle('group');
    return label ?? '';
  }
  if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
  if (!label) return target;
  const bare = target.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return label === target || label === bare ? target : `${label} ${target}`;
}

interface Share {
  /** Escaped, as Slack sends message text. */
  text: string;
  isShare: boolean;
  sharedFrom: { authorId?: string; authorName?: string; url?: string };
}

function shareOf(m: Message): Share | undefined {
  for (const raw of m.attachments ?? []) {
    const parsed = ShareAttachment.safeParse(raw);
    if (!parsed.success) continue;
    const a = parsed.data;
    if (!a.is_share && !a.is_msg_unfurl) continue;
    const authorName = a.author_name || a.author_subname;
    const url = a.from_url && isHttps(a.from_url) ? a.from_url : undefined;
    return {
      text: a.text || a.fallback || '',
      isShare: a.is_share === true,
      sharedFrom: {
        ...(a.author_id ? { authorId: a.author_id } : {}),
        ...(authorName ? { authorName } : {}),
        ...(url ? { url } : {}),
      },
    };
  }
  return undefined;
}

function isHttps(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
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

/** Without a directory: names missing from the delivery stay missing (the id, `nameMissing`). */
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
      const changed = ChangedMessage.safeParse(e.message);
      const inner = changed.success ? changed.data : undefined;
      const previous = ChangedMessage.safeParse(e.previous_message);
      if (inner?.subtype === 'tombstone') {
        // A thread parent deleted while it has replies: Slack swaps it for Slackbot's tombstone.
        kind = 'deleted';
        raw = e.previous_message ?? e.message;
      } else if (inner && !CONTENT_SUBTYPES.has(inner.subtype)) {
        return {
          kind: 'ignored',
          status: 200,
          reason: `message_changed of a "${inner.subtype}" message is not a comment`,
        };
      } else if (
        inner &&
        inner.edited === undefined &&
        previous.success &&
        (inner.text ?? '') === (previous.data.text ?? '')
      ) {
        return {
          kind: 'ignored',
          status: 200,
          reason: 'message_changed adds a link preview only: not an edit',
        };
      } else {
        kind = 'edited';
        raw = e.message;
      }
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
    const isSlackbot = m.user === SLACKBOT;
    const fromBot = m.bot_id !== undefined || m.subtype === 'bot_message' || isSlackbot;
    if (fromBot && !isBrand && kind !== 'deleted') {
      return {
        kind: 'ignored',
        status: 200,
        reason: isSlackbot ? 'message from Slackbot' : 'message from a bot that is not the brand',
      };
    }

    // A share's content is in its attachment; the sharer's own words, when there are any, come first.
    const share = kind === 'deleted' ? undefined : shareOf(m);
    const ownWords = m.text.trim() !== '';
    const written = ownWords || !share ? m.text : share.text;
    if (kind !== 'deleted' && written.trim() === '') {
      return {
        kind: 'ignored',
        status: 200,
        reason: 'message has no text to classify (a file, an image or an empty share)',
      };
    }
    const text = unescapeSlack(written);
    const classifierText = slackTextForClassifier(written);
    const sharedFrom = share && (!ownWords || share.isShare) ? share.sharedFrom : undefined;
    const name =
      m.user_profile?.display_name ||
      m.user_profile?.real_name ||
      m.bot_profile?.name ||
      m.username ||
      undefined;

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
          author: authorId
            ? {
                id: authorId,
                // Events API deliveries rarely carry user_profile: the id stands in, said so.
                ...(name ? { name } : { name: authorId, nameMissing: true }),
                isBrand,
                isAutomated: isSlackbot || isAutomatedAccount(ctx.community, 'slack', authorId),
              }
            : { id: 'unknown', name: '', isBrand: false, isAutomated: false, unidentified: true },
          text,
          ...(classifierText !== text ? { classifierText } : {}),
          ...(sharedFrom ? { sharedFrom } : {}),
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

export interface SlackSourceDeps {
  /** Looks up author names the delivery lacks, when the source's secret carries a bot token. */
  users: SlackUserDirectory;
  /** The longest the lookups may hold the ack back (Slack wants its answer within 3 s). */
  lookupDeadlineMs?: number;
}

/** The Slack source that completes author names with `users.info` before the events are enqueued. */
export function createSlackSource(deps: SlackSourceDeps): Source {
  return {
    ...slackSource,
    complete: (events, ctx) => completeNames(events, ctx, deps.users, deps.lookupDeadlineMs ?? 1_200),
  };
}

async function completeNames(
  events: CommentEvent[],
  ctx: SourceContext,
  users: SlackUserDirectory,
  deadlineMs: number,
): Promise<CommentEvent[]> {
  const token = ctx.secret.botToken;
  if (!token || !events.some((e) => e.comment.author.nameMissing && e.kind !== 'deleted')) return events;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deadlineMs);
  });
  try {
    return await Promise.all(
      events.map(async (event) => {
        const { nameMissing, ...author } = event.comment.author;
        if (!nameMissing || event.kind === 'deleted') return event;
        const name = await Promise.race([
          users.displayName(author.id, token).catch(() => undefined),
          deadline,
        ]);
        return name ? { ...event, comment: { ...event.comment, author: { ...author, name } } } : event;
      }),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Headers Slack would send with this body: for the local demo, benchmarks and tests. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string | Buffer,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = hmacSha256(signingSecret, `v0:${timestamp}:`, rawBody).toString('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}
