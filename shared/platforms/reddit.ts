import * as z from 'zod';
import { AuthError, DependencyError, ValidationError } from '../domain/errors.ts';
import { describeZod, unixSecondsToIso } from './parse-helpers.ts';
import {
  type HttpResponse,
  jsonOf,
  type PageResult,
  type PolledItem,
  type PollFeed,
  type PollSource,
} from './pollers/poller.ts';
import { isAutomatedAccount, isBrandAccount, type SourceContext } from './source.ts';

/**
 * Reddit poller (OAuth, app-only): two newest-first listings of the subreddit, `/new` (posts, the
 * members' questions) and `/comments` (every comment, replies included), 100 per page, paged with
 * `after`. A post is a thread; comments carry it as `link_id` and their parent as `parent_id`, so
 * the brand account's reply is in the thread of the member's post.
 * Rate limits: `X-Ratelimit-Remaining` / `X-Ratelimit-Reset` are honoured, a run stops (keeping its
 * cursor) before it would exceed them, and a 429 does the same.
 *
 * Secret: signingKey = "<client id>:<client secret>" of a Reddit "script" or "web" app.
 * Options: `subreddit` (required), `userAgent` (Reddit requires a descriptive one).
 */

export const RedditOptions = z.object({
  subreddit: z.string().regex(/^[A-Za-z0-9_]{2,21}$/, 'must be a subreddit name without r/'),
  userAgent: z
    .string()
    .min(10)
    .max(200)
    .default('aws-lambda:community-autopilot:v0.1 (community monitoring)'),
});

const Thing = z.object({ kind: z.string(), data: z.record(z.string(), z.unknown()) });
const Listing = z.object({
  kind: z.literal('Listing'),
  data: z.object({ after: z.string().nullish(), children: z.array(z.unknown()) }),
});

const Fullname = z.string().regex(/^t[1-6]_[a-z0-9]{1,16}$/, 'must be a Reddit fullname');

const PostData = z.object({
  name: Fullname,
  id: z.string().min(1).max(16),
  author: z.string().min(1).max(64),
  title: z.string().max(1000).default(''),
  selftext: z.string().max(100_000).default(''),
  created_utc: z.number(),
  edited: z.union([z.literal(false), z.literal(true), z.number()]).default(false),
  permalink: z.string().max(1000).optional(),
});

const CommentData = PostData.omit({ title: true, selftext: true }).extend({
  body: z.string().max(100_000),
  link_id: Fullname,
  parent_id: Fullname,
});

const REMOVED_AUTHORS = new Set(['[deleted]', '[removed]']);

function rateLimited(response: HttpResponse): PageResult | undefined {
  const reset = Number(response.headers['x-ratelimit-reset']);
  const retryAfterSeconds = Number.isFinite(reset) ? reset : undefined;
  if (response.status === 429) {
    return {
      kind: 'throttled',
      reason: 'Reddit answered 429',
      ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    };
  }
  return undefined;
}

function author(name: string, ctx: SourceContext) {
  return {
    id: name,
    name: `u/${name}`,
    isBrand: isBrandAccount(ctx.community, 'reddit', name),
    isAutomated: isAutomatedAccount(ctx.community, 'reddit', name) || name === 'AutoModerator',
  };
}

function permalink(path: string | undefined): { url?: string } {
  return path?.startsWith('/r/') ? { url: `https://www.reddit.com${path}` } : {};
}

function editedAt(edited: boolean | number): string | undefined {
  return typeof edited === 'number' ? unixSecondsToIso(edited) : undefined;
}

/** A post (t3) is a thread of its own; a comment (t1) joins its post's thread under its parent. */
function itemOf(thing: z.infer<typeof Thing>, ctx: SourceContext): PolledItem | undefined {
  const prefix = ctx.source.id;
  let fields: {
    name: string;
    author: string;
    created_utc: number;
    edited: boolean | number;
    permalink?: string | undefined;
    text: string;
    threadId?: string;
    parentId?: string;
  };
  if (thing.kind === 't3') {
    const p = PostData.parse(thing.data);
    fields = { ...p, text: p.selftext ? `${p.title}\n\n${p.selftext}` : p.title };
  } else if (thing.kind === 't1') {
    const c = CommentData.parse(thing.data);
    fields = { ...c, text: c.body, threadId: `${prefix}:${c.link_id}`, parentId: `${prefix}:${c.parent_id}` };
  } else {
    return undefined;
  }
  if (REMOVED_AUTHORS.has(fields.author)) return undefined;
  const publishedAt = unixSecondsToIso(fields.created_utc);
  if (!publishedAt) throw new ValidationError(`${fields.name}: created_utc is out of range`);
  const id = `${prefix}:${fields.name}`;
  const edited = editedAt(fields.edited);
  return {
    publishedAt,
    ...(edited ? { editedAt: edited } : {}),
    draft: {
      kind: 'created',
      dedupeKey: `${id}#created`,
      comment: {
        id,
        platformId: fields.name,
        source: prefix,
        platform: 'reddit',
        community: ctx.community.id,
        threadId: fields.threadId ?? id,
        ...(fields.parentId ? { parentId: fields.parentId } : {}),
        author: author(fields.author, ctx),
        text: fields.text,
        createdAt: publishedAt,
        ...permalink(fields.permalink),
      },
    },
  };
}

function listingFeed(name: 'new' | 'comments', ctx: SourceContext): PollFeed {
  const options = RedditOptions.safeParse(ctx.source.options);
  if (!options.success) throw new ValidationError(`reddit source options: ${describeZod(options.error)}`);
  const { subreddit, userAgent } = options.data;
  return {
    name,
    lookbackMs: 0,
    async fetchPage(pageToken, run) {
      const query = new URLSearchParams({
        limit: '100',
        raw_json: '1',
        ...(pageToken ? { after: pageToken } : {}),
      });
      const response = await run.http.send({
        method: 'GET',
        url: `https://oauth.reddit.com/r/${subreddit}/${name}?${query.toString()}`,
        headers: { ...run.auth, 'user-agent': userAgent },
      });
      const limited = rateLimited(response);
      if (limited) return limited;
      if (response.status !== 200) throw new DependencyError(`Reddit /${name} answered ${response.status}`);
      const listing = Listing.safeParse(jsonOf(response, `Reddit /${name}`));
      if (!listing.success) throw new DependencyError(`Reddit /${name}: ${describeZod(listing.error)}`);

      const items: PolledItem[] = [];
      const rejected: { index: number; reason: string }[] = [];
      let oldest: string | undefined;
      for (const [index, raw] of listing.data.data.children.entries()) {
        try {
          const item = itemOf(Thing.parse(raw), run.ctx);
          if (!item) continue;
          items.push(item);
          if (!oldest || Date.parse(item.publishedAt) < Date.parse(oldest)) oldest = item.publishedAt;
        } catch (error) {
          rejected.push({ index, reason: error instanceof z.ZodError ? describeZod(error) : String(error) });
        }
      }
      // An `after` anchor that was deleted meanwhile yields an empty page, not an error.
      if (pageToken && listing.data.data.children.length === 0) return { kind: 'stale-token' };
      const after = listing.data.data.after ?? undefined;
      // Stop before the limit is exceeded rather than collect a 429: the next schedule resumes here.
      const remaining = Number(response.headers['x-ratelimit-remaining']);
      const exhausted = Number.isFinite(remaining) && remaining < 1;
      return {
        kind: 'page',
        items,
        rejected,
        ...(oldest ? { oldest } : {}),
        ...(after ? { next: after } : {}),
        ...(exhausted
          ? {
              throttle: `Reddit rate limit spent; resets in ${response.headers['x-ratelimit-reset'] ?? '?'} s`,
            }
          : {}),
      };
    },
  };
}

export const redditPoller: PollSource = {
  type: 'reddit',
  feeds: (ctx) => [listingFeed('new', ctx), listingFeed('comments', ctx)],
  async authorize(http, ctx) {
    const credentials = ctx.secret.signingKey;
    if (!/^[^:\s]+:[^:\s]+$/.test(credentials))
      throw new AuthError('the reddit secret must be "<client id>:<client secret>"');
    const options = RedditOptions.safeParse(ctx.source.options);
    const response = await http.send({
      method: 'POST',
      url: 'https://www.reddit.com/api/v1/access_token',
      headers: {
        authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': options.success
          ? options.data.userAgent
          : RedditOptions.shape.userAgent.parse(undefined),
      },
      body: 'grant_type=client_credentials',
    });
    if (response.status === 401) throw new AuthError('Reddit refused the client credentials');
    if (response.status !== 200)
      throw new DependencyError(`Reddit token endpoint answered ${response.status}`);
    const token = z
      .object({ access_token: z.string().min(1) })
      .safeParse(jsonOf(response, 'Reddit token endpoint'));
    if (!token.success) throw new DependencyError('Reddit token endpoint sent no access_token');
    return { authorization: `Bearer ${token.data.access_token}` };
  },
};
