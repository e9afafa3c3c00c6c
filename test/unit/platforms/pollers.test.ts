import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommentEvent } from '../../../shared/domain/comment.ts';
import { AuthError, DependencyError } from '../../../shared/domain/errors.ts';
import {
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  runPoller,
} from '../../../shared/platforms/pollers/poller.ts';
import { redditPoller } from '../../../shared/platforms/reddit.ts';
import { youtubePoller } from '../../../shared/platforms/youtube.ts';
import { MemoryCursorStore } from '../../support/memory-stores.ts';
import { arbitraryBodies, context, fixture } from './helpers.ts';

/** Replays recorded API answers by URL; `fail` makes chosen calls throw, as a crash or timeout would. */
class RecordedHttp implements HttpClient {
  readonly requests: HttpRequest[] = [];
  constructor(
    private readonly route: (request: HttpRequest) => HttpResponse,
    private readonly fail: (request: HttpRequest, call: number) => boolean = () => false,
  ) {}
  async send(request: HttpRequest): Promise<HttpResponse> {
    this.requests.push(request);
    if (this.fail(request, this.requests.length)) throw new Error('connection reset');
    return this.route(request);
  }
}

function answer(
  source: string,
  file: string,
  status = 200,
  headers: Record<string, string> = {},
): HttpResponse {
  return { status, headers, body: fixture(source, file).toString('utf8') };
}

class Sink {
  readonly events: CommentEvent[] = [];
  async enqueue(events: readonly CommentEvent[]) {
    this.events.push(...events);
  }
  keys() {
    return this.events.map((e) => e.dedupeKey);
  }
}

const youtubeCtx = context('youtube', {
  signingKey: 'AIza-test-key',
  options: { channelId: 'UCveloLumiereOfficial' },
});
const SINCE = '2026-11-19T10:00:00.000Z';

function youtubeApi(request: HttpRequest): HttpResponse {
  const url = new URL(request.url);
  if (url.pathname.endsWith('/comments')) return answer('youtube', 'comments-replies.json');
  return url.searchParams.get('pageToken') === 'QURTSl9pM0ZfcGFnZTI'
    ? answer('youtube', 'comment-threads-page2.json')
    : answer('youtube', 'comment-threads-page1.json');
}

async function youtubeStore() {
  const cursors = new MemoryCursorStore();
  await cursors.save('youtube#threads', { since: SINCE });
  return cursors;
}

describe('youtube poller', () => {
  it('pages through the channel threads, fetches missing replies and stops at the covered window', async () => {
    const http = new RecordedHttp(youtubeApi);
    const sink = new Sink();
    const cursors = await youtubeStore();

    const [report] = await runPoller(youtubePoller, youtubeCtx, { http, cursors, sink });

    expect(report).toMatchObject({ pages: 2, stoppedBecause: 'caught-up', rejected: 0 });
    expect(sink.events.map((e) => `${e.kind} ${e.comment.platformId}`)).toEqual([
      'created UgwQuestionHiver01',
      'created UgwQuestionHiver01.BrandReply01',
      'created UgwAutonomieEco002',
      'created UgwAutonomieEco002.Reply00000001',
      'created UgwAutonomieEco002.BrandReply02',
      'edited UgwEditeRecemment4',
    ]);
    expect(new URL(http.requests[0]?.url ?? '').searchParams.get('key')).toBe('AIza-test-key');
    expect((await cursors.load('youtube#threads'))?.since).toBe('2026-11-20T09:58:00.000Z');
  });

  it("puts the channel's reply in the thread of the member's question, as the brand", async () => {
    const sink = new Sink();

    await runPoller(youtubePoller, youtubeCtx, {
      http: new RecordedHttp(youtubeApi),
      cursors: await youtubeStore(),
      sink,
    });
    const question = sink.events.find((e) => e.comment.platformId === 'UgwAutonomieEco002');
    const answerEvent = sink.events.find((e) => e.comment.platformId === 'UgwAutonomieEco002.BrandReply02');

    expect(answerEvent?.comment.author.isBrand).toBe(true);
    expect(question?.comment.author.isBrand).toBe(false);
    expect(answerEvent?.comment.threadId).toBe(question?.comment.threadId);
    expect(question?.comment.url).toBe('https://www.youtube.com/watch?v=vL-c2-hiver&lc=UgwAutonomieEco002');
  });

  it('resumes a run that crashed on page 2 at page 2, with no gap and only harmless repeats', async () => {
    const clean = new Sink();
    await runPoller(youtubePoller, youtubeCtx, {
      http: new RecordedHttp(youtubeApi),
      cursors: await youtubeStore(),
      sink: clean,
    });
    const cursors = await youtubeStore();
    const sink = new Sink();
    const crashing = new RecordedHttp(youtubeApi, (r) => r.url.includes('pageToken='));

    await expect(runPoller(youtubePoller, youtubeCtx, { http: crashing, cursors, sink })).rejects.toThrow(
      'connection reset',
    );
    const saved = await cursors.load('youtube#threads');
    const resumed = new RecordedHttp(youtubeApi);
    await runPoller(youtubePoller, youtubeCtx, { http: resumed, cursors, sink });

    expect(saved).toEqual({
      since: SINCE,
      walk: { pageToken: 'QURTSl9pM0ZfcGFnZTI', newest: '2026-11-20T09:58:00.000Z' },
    });
    expect(resumed.requests[0]?.url).toContain('pageToken=QURTSl9pM0ZfcGFnZTI');
    expect(new Set(sink.keys())).toEqual(new Set(clean.keys()));
    expect(sink.events).toHaveLength(clean.events.length);
    expect(await cursors.load('youtube#threads')).toEqual({ since: '2026-11-20T09:58:00.000Z' });
  });

  it('enqueues nothing new when run again over the same listing', async () => {
    const cursors = await youtubeStore();
    const first = new Sink();
    const second = new Sink();
    await runPoller(youtubePoller, youtubeCtx, { http: new RecordedHttp(youtubeApi), cursors, sink: first });

    await runPoller(youtubePoller, youtubeCtx, { http: new RecordedHttp(youtubeApi), cursors, sink: second });

    // Only the newest item sits on the inclusive bound; it repeats with the same dedupe key.
    expect(second.keys().every((k) => first.keys().includes(k))).toBe(true);
    expect(second.events.length).toBeLessThanOrEqual(1);
  });

  it('stops on quotaExceeded without moving the cursor or enqueuing', async () => {
    const cursors = await youtubeStore();
    const sink = new Sink();
    const http = new RecordedHttp(() => answer('youtube', 'quota-exceeded.json', 403));

    const [report] = await runPoller(youtubePoller, youtubeCtx, { http, cursors, sink });

    expect(report).toMatchObject({ stoppedBecause: 'throttled', pages: 0 });
    expect(sink.events).toEqual([]);
    expect(await cursors.load('youtube#threads')).toEqual({ since: SINCE });
  });

  it('saves the walk when the page limit is reached, and the next run continues it', async () => {
    const cursors = await youtubeStore();
    const sink = new Sink();

    const [first] = await runPoller(youtubePoller, youtubeCtx, {
      http: new RecordedHttp(youtubeApi),
      cursors,
      sink,
      maxPages: 1,
    });
    const [second] = await runPoller(youtubePoller, youtubeCtx, {
      http: new RecordedHttp(youtubeApi),
      cursors,
      sink,
      maxPages: 1,
    });

    expect(first?.stoppedBecause).toBe('page-limit');
    expect(second?.stoppedBecause).toBe('caught-up');
    expect(sink.events).toHaveLength(6);
  });

  it('raises a retryable DependencyError when YouTube fails with a 5xx', async () => {
    const http = new RecordedHttp(() => ({ status: 503, headers: {}, body: 'backend error' }));

    await expect(
      runPoller(youtubePoller, youtubeCtx, { http, cursors: await youtubeStore(), sink: new Sink() }),
    ).rejects.toBeInstanceOf(DependencyError);
  });
});

const redditCtx = context('reddit', {
  signingKey: 'client-id-123:client-secret-456',
  options: { subreddit: 'VeloLumiere', userAgent: 'test:community-autopilot:v0.1 (by /u/velolumiere)' },
});

function redditApi(limits: { remaining?: string } = {}) {
  return (request: HttpRequest): HttpResponse => {
    const headers = {
      'x-ratelimit-remaining': limits.remaining ?? '58',
      'x-ratelimit-reset': '42',
      'x-ratelimit-used': '2',
    };
    if (request.url.includes('access_token')) return answer('reddit', 'token.json');
    if (request.url.includes('/new')) return answer('reddit', 'new-page1.json', 200, headers);
    return request.url.includes('after=t1_m9memb01')
      ? answer('reddit', 'comments-page2.json', 200, headers)
      : answer('reddit', 'comments-page1.json', 200, headers);
  };
}

async function redditStore() {
  const cursors = new MemoryCursorStore();
  await cursors.save('reddit#new', { since: SINCE });
  await cursors.save('reddit#comments', { since: SINCE });
  return cursors;
}

describe('reddit poller', () => {
  it('gets an app token, then reads new posts and comments with the bearer token and user agent', async () => {
    const http = new RecordedHttp(redditApi());
    const sink = new Sink();

    const reports = await runPoller(redditPoller, redditCtx, { http, cursors: await redditStore(), sink });

    expect(http.requests[0]).toMatchObject({ method: 'POST', body: 'grant_type=client_credentials' });
    expect(http.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('client-id-123:client-secret-456').toString('base64')}`,
    );
    expect(http.requests[1]?.headers).toMatchObject({
      authorization: expect.stringMatching(/^Bearer /),
      'user-agent': 'test:community-autopilot:v0.1 (by /u/velolumiere)',
    });
    expect(reports.map((r) => r.stoppedBecause)).toEqual(['caught-up', 'caught-up']);
    expect(sink.events.map((e) => e.comment.platformId)).toEqual(['t3_1abcq1', 't1_m9brand1', 't1_m9memb01']);
  });

  it("counts the brand account's comment as the answer in the member's post thread", async () => {
    const sink = new Sink();

    await runPoller(redditPoller, redditCtx, {
      http: new RecordedHttp(redditApi()),
      cursors: await redditStore(),
      sink,
    });
    const [post, brand] = sink.events;

    expect(post?.comment.text).toBe(
      'Bruit de roue libre après 2 000 km ?\n\nUn cliquetis apparaît en roue libre depuis une semaine 🤔 Normal ou SAV ?',
    );
    expect(brand?.comment.author).toMatchObject({ id: 'VeloLumiere_Official', isBrand: true });
    expect(brand?.comment.threadId).toBe(post?.comment.threadId);
    expect(brand?.comment.parentId).toBe(post?.comment.id);
  });

  it('stops after the page that spends the rate limit and resumes from its `after` anchor', async () => {
    const cursors = await redditStore();
    const sink = new Sink();

    const reports = await runPoller(redditPoller, redditCtx, {
      http: new RecordedHttp(redditApi({ remaining: '0' })),
      cursors,
      sink,
    });
    const next = new RecordedHttp(redditApi());
    await runPoller(redditPoller, redditCtx, { http: next, cursors, sink });

    expect(reports.find((r) => r.feed === 'comments')?.stoppedBecause).toBe('throttled');
    expect((await cursors.load('reddit#comments'))?.since).toBe('2026-11-20T09:40:00.000Z');
    expect(
      next.requests.some((r) => r.url.includes('/comments?') && r.url.includes('after=t1_m9memb01')),
    ).toBe(true);
  });

  it('stops on 429 without moving the cursor', async () => {
    const cursors = await redditStore();
    const http = new RecordedHttp((r) =>
      r.url.includes('access_token')
        ? answer('reddit', 'token.json')
        : { status: 429, headers: { 'x-ratelimit-reset': '30' }, body: '{"message": "Too Many Requests"}' },
    );

    const reports = await runPoller(redditPoller, redditCtx, { http, cursors, sink: new Sink() });

    expect(reports.map((r) => r.stoppedBecause)).toEqual(['throttled', 'throttled']);
    expect(await cursors.load('reddit#comments')).toEqual({ since: SINCE });
  });

  it('refuses a secret that is not "<client id>:<client secret>"', async () => {
    const ctx = context('reddit', { signingKey: 'just-a-key', options: { subreddit: 'VeloLumiere' } });

    await expect(
      runPoller(redditPoller, ctx, {
        http: new RecordedHttp(redditApi()),
        cursors: await redditStore(),
        sink: new Sink(),
      }),
    ).rejects.toBeInstanceOf(AuthError);
  });
});

describe('poller parsers: properties', () => {
  const cases = [
    {
      poller: youtubePoller,
      ctx: youtubeCtx,
      store: youtubeStore,
      bodies: ['comment-threads-page1.json', 'comment-threads-page2.json'].map((f) => fixture('youtube', f)),
    },
    {
      poller: redditPoller,
      ctx: redditCtx,
      store: redditStore,
      bodies: ['new-page1.json', 'comments-page1.json'].map((f) => fixture('reddit', f)),
    },
  ];

  it.each(cases)(
    'turns any answer of $poller.type into items, rejections or a retryable error, never a crash',
    async ({ poller, ctx, store, bodies }) => {
      await fc.assert(
        fc.asyncProperty(arbitraryBodies(bodies), async (body) => {
          const sink = new Sink();
          const http = new RecordedHttp((r) =>
            r.url.includes('access_token')
              ? answer('reddit', 'token.json')
              : { status: 200, headers: {}, body: body.toString('utf8') },
          );
          try {
            await runPoller(poller, ctx, { http, cursors: await store(), sink, maxPages: 2 });
          } catch (error) {
            expect(error).toBeInstanceOf(DependencyError);
          }
          for (const event of sink.events) expect(CommentEvent.safeParse(event).success).toBe(true);
        }),
        { numRuns: 300 },
      );
    },
  );
});
