import * as z from 'zod';
import { DependencyError, ValidationError } from '../domain/errors.ts';
import { dateToIso, describeZod } from './parse-helpers.ts';
import {
  type HttpResponse,
  jsonOf,
  type PageResult,
  type PolledItem,
  type PollFeed,
  type PollRun,
  type PollSource,
} from './pollers/poller.ts';
import { isAutomatedAccount, isBrandAccount, type SourceContext } from './source.ts';

/**
 * YouTube Data API v3 poller: `commentThreads.list` for every thread of the channel
 * (`allThreadsRelatedToChannelId`, newest first, 100 per page, 1 quota unit per call), and
 * `comments.list?parentId=` (1 unit) for threads holding more replies than the listing includes.
 * A thread is the top-level comment; replies join it, so the channel's reply to a member's question
 * is in the question's thread. YouTube lists threads, not replies: threads up to
 * `replyLookbackDays` (default 7) older than the cursor are re-read to find new replies and edits.
 *
 * Secret: the API key as signingKey. Options: `channelId` (required), `replyLookbackDays`.
 * The channel's own id goes under brandAccounts.youtube.
 */

export const YoutubeOptions = z.object({
  channelId: z.string().regex(/^UC[\w-]{10,40}$/, 'must be a channel id (UC...)'),
  replyLookbackDays: z.number().int().min(0).max(30).default(7),
});

const API = 'https://www.googleapis.com/youtube/v3';
const MAX_REPLY_PAGES = 10;

const CommentSnippet = z.object({
  videoId: z.string().max(64).optional(),
  textOriginal: z.string().max(100_000).optional(),
  textDisplay: z.string().max(200_000).optional(),
  authorDisplayName: z.string().max(512).default(''),
  authorChannelId: z.object({ value: z.string().min(1).max(128) }).optional(),
  parentId: z.string().max(256).optional(),
  publishedAt: z.string().max(64),
  updatedAt: z.string().max(64).optional(),
});

const YtComment = z.object({ id: z.string().min(1).max(256), snippet: CommentSnippet });
type YtComment = z.infer<typeof YtComment>;

const Thread = z.object({
  id: z.string().min(1).max(256),
  snippet: z.object({
    videoId: z.string().max(64).optional(),
    topLevelComment: YtComment,
    totalReplyCount: z.number().int().nonnegative().default(0),
  }),
  replies: z.object({ comments: z.array(z.unknown()) }).optional(),
});

const ListResponse = z.object({
  items: z.array(z.unknown()).default([]),
  nextPageToken: z.string().optional(),
});

const ErrorResponse = z.object({
  error: z.object({ errors: z.array(z.object({ reason: z.string() }).loose()).default([]) }).loose(),
});

function errorReasons(response: HttpResponse): string[] {
  try {
    const parsed = ErrorResponse.safeParse(JSON.parse(response.body));
    return parsed.success ? parsed.data.error.errors.map((e) => e.reason) : [];
  } catch {
    return [];
  }
}

const THROTTLE_REASONS = new Set([
  'quotaExceeded',
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'dailyLimitExceeded',
]);

/** Turns an error answer into a throttle, a stale page token, or a retryable failure. */
function failure(response: HttpResponse, hadToken: boolean): PageResult {
  const reasons = errorReasons(response);
  if (response.status === 429 || reasons.some((r) => THROTTLE_REASONS.has(r))) {
    return {
      kind: 'throttled',
      reason: `YouTube quota or rate limit (${reasons.join(', ') || response.status})`,
    };
  }
  if (response.status === 400 && hadToken) return { kind: 'stale-token' };
  throw new DependencyError(
    `YouTube answered ${response.status} (${reasons.join(', ') || 'no reason given'})`,
  );
}

function itemOf(
  c: YtComment,
  threadId: string,
  videoId: string | undefined,
  channelId: string,
  ctx: SourceContext,
): PolledItem {
  const prefix = ctx.source.id;
  const id = `${prefix}:${c.id}`;
  const publishedAt = dateToIso(c.snippet.publishedAt);
  if (!publishedAt) throw new ValidationError(`comment ${c.id}: publishedAt is not a date`);
  const editedAt = dateToIso(c.snippet.updatedAt);
  const authorId = c.snippet.authorChannelId?.value ?? 'unknown';
  const video = c.snippet.videoId ?? videoId;
  return {
    publishedAt,
    ...(editedAt && editedAt !== publishedAt ? { editedAt } : {}),
    draft: {
      kind: 'created',
      dedupeKey: `${id}#created`,
      comment: {
        id,
        platformId: c.id,
        source: prefix,
        platform: 'youtube',
        community: ctx.community.id,
        threadId: `${prefix}:${threadId}`,
        ...(c.snippet.parentId ? { parentId: `${prefix}:${c.snippet.parentId}` } : {}),
        author: {
          id: authorId,
          name: c.snippet.authorDisplayName,
          // The polled channel is the brand's own, even when brandAccounts.youtube omits it.
          isBrand: authorId === channelId || isBrandAccount(ctx.community, 'youtube', authorId),
          isAutomated: isAutomatedAccount(ctx.community, 'youtube', authorId),
        },
        text: c.snippet.textOriginal ?? c.snippet.textDisplay ?? '',
        createdAt: publishedAt,
        ...(video && /^[\w-]{1,64}$/.test(video)
          ? { url: `https://www.youtube.com/watch?v=${video}&lc=${encodeURIComponent(c.id)}` }
          : {}),
      },
    },
  };
}

function url(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, v);
  return `${API}/${path}?${query.toString()}`;
}

async function allReplies(threadId: string, run: PollRun): Promise<unknown[] | PageResult> {
  const replies: unknown[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const response = await run.http.send({
      method: 'GET',
      url: url('comments', {
        part: 'snippet',
        parentId: threadId,
        maxResults: '100',
        textFormat: 'plainText',
        pageToken,
        key: run.ctx.secret.signingKey,
      }),
      headers: {},
    });
    if (response.status !== 200) return failure(response, false);
    const list = ListResponse.safeParse(jsonOf(response, 'YouTube comments.list'));
    if (!list.success) throw new DependencyError(`YouTube comments.list: ${describeZod(list.error)}`);
    replies.push(...list.data.items);
    // Bounded: a thread's replies cost one quota unit per page, and a repeated token would loop.
    const next = list.data.nextPageToken;
    pageToken = next && next !== pageToken && ++pages < MAX_REPLY_PAGES ? next : undefined;
  } while (pageToken);
  return replies;
}

function threadsFeed(ctx: SourceContext): PollFeed {
  const options = YoutubeOptions.safeParse(ctx.source.options);
  if (!options.success) throw new ValidationError(`youtube source options: ${describeZod(options.error)}`);
  const { channelId, replyLookbackDays } = options.data;
  return {
    name: 'threads',
    lookbackMs: replyLookbackDays * 24 * 3600_000,
    async fetchPage(pageToken, run) {
      const response = await run.http.send({
        method: 'GET',
        url: url('commentThreads', {
          part: 'snippet,replies',
          allThreadsRelatedToChannelId: channelId,
          order: 'time',
          maxResults: '100',
          textFormat: 'plainText',
          pageToken,
          key: run.ctx.secret.signingKey,
        }),
        headers: {},
      });
      if (response.status !== 200) return failure(response, pageToken !== undefined);
      const list = ListResponse.safeParse(jsonOf(response, 'YouTube commentThreads.list'));
      if (!list.success) throw new DependencyError(`YouTube commentThreads.list: ${describeZod(list.error)}`);

      const items: PolledItem[] = [];
      const rejected: { index: number; reason: string }[] = [];
      let oldest: string | undefined;
      for (const [index, raw] of list.data.items.entries()) {
        const thread = Thread.safeParse(raw);
        if (!thread.success) {
          rejected.push({ index, reason: describeZod(thread.error) });
          continue;
        }
        const { id: threadId, snippet } = thread.data;
        try {
          const top = itemOf(snippet.topLevelComment, threadId, snippet.videoId, channelId, run.ctx);
          items.push(top);
          if (!oldest || Date.parse(top.publishedAt) < Date.parse(oldest)) oldest = top.publishedAt;
          let replies = thread.data.replies?.comments ?? [];
          if (snippet.totalReplyCount > replies.length) {
            const fetched = await allReplies(threadId, run);
            if (!Array.isArray(fetched)) return fetched;
            replies = fetched;
          }
          for (const reply of replies) {
            const parsed = YtComment.safeParse(reply);
            if (parsed.success)
              items.push(itemOf(parsed.data, threadId, snippet.videoId, channelId, run.ctx));
            else rejected.push({ index, reason: `reply: ${describeZod(parsed.error)}` });
          }
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          rejected.push({ index, reason: error.message });
        }
      }
      return {
        kind: 'page',
        items,
        rejected,
        ...(oldest ? { oldest } : {}),
        ...(list.data.nextPageToken ? { next: list.data.nextPageToken } : {}),
      };
    },
  };
}

export const youtubePoller: PollSource = {
  type: 'youtube',
  feeds: (ctx) => [threadsFeed(ctx)],
};
