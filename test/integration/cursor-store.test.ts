import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { CursorMovedOnError, DynamoCursorStore } from '../../shared/adapters/dynamodb-cursor-store.ts';
import type { CursorStore, FeedCursor } from '../../shared/core/ports.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../shared/platforms/pollers/poller.ts';
import { runPoller } from '../../shared/platforms/pollers/poller.ts';
import { youtubePoller } from '../../shared/platforms/youtube.ts';
import { freshStore } from '../support/dynamo.ts';
import { context, fixture } from '../unit/platforms/helpers.ts';

const SINCE = '2026-11-19T10:00:00.000Z';
const PAGE_2 = 'QURTSl9pM0ZfcGFnZTI';

const ctx = context('youtube', {
  signingKey: 'AIza-test-key',
  options: { channelId: 'UCveloLumiereOfficial' },
});

/** The recorded YouTube answers; `crash` makes chosen calls fail the way a timeout or a killed run would. */
class RecordedYoutube implements HttpClient {
  readonly urls: string[] = [];
  constructor(private readonly crash: (url: string) => boolean = () => false) {}
  async send(request: HttpRequest): Promise<HttpResponse> {
    this.urls.push(request.url);
    if (this.crash(request.url)) throw new Error('connection reset');
    const url = new URL(request.url);
    const file = url.pathname.endsWith('/comments')
      ? 'comments-replies.json'
      : url.searchParams.get('pageToken') === PAGE_2
        ? 'comment-threads-page2.json'
        : 'comment-threads-page1.json';
    return { status: 200, headers: {}, body: fixture('youtube', file).toString('utf8') };
  }
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

/** Passes through to the real store, but the n-th save fails: a run killed between enqueue and save. */
class FailingSaves implements CursorStore {
  private saves = 0;
  constructor(
    private readonly inner: CursorStore,
    private readonly failAt: number,
  ) {}
  load(key: string) {
    return this.inner.load(key);
  }
  async save(key: string, cursor: FeedCursor) {
    this.saves += 1;
    if (this.saves === this.failAt) throw new Error('killed before the cursor was saved');
    return this.inner.save(key, cursor);
  }
}

describe('DynamoCursorStore on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof freshStore>>;
  const store = () => new DynamoCursorStore(table.client, { tableName: table.tableName });

  beforeAll(async () => {
    table = await freshStore();
  });

  /** A fresh feed key per test: the table is shared by the file. */
  let n = 0;
  const feedKey = () => `src-${++n}#threads`;

  it('returns nothing for a feed that was never polled', async () => {
    expect(await store().load(feedKey())).toBeUndefined();
  });

  it('stores a cursor under CURSOR#<source id>#<feed> with no TTL and reads it back', async () => {
    const key = feedKey();
    const cursor = { since: SINCE, walk: { pageToken: PAGE_2, newest: '2026-11-20T09:58:00.000Z' } };

    await store().save(key, cursor);
    const item = await DynamoDBDocumentClient.from(table.client).send(
      new GetCommand({ TableName: table.tableName, Key: { pk: `CURSOR#${key}`, sk: 'CURSOR' } }),
    );

    expect(await store().load(key)).toEqual(cursor);
    expect(item.Item).toMatchObject({ since: SINCE, sinceMs: Date.parse(SINCE) });
    expect(item.Item?.expiresAt).toBeUndefined();
  });

  it('drops the walk once a save says the walk is complete', async () => {
    const key = feedKey();
    await store().save(key, { since: SINCE, walk: { pageToken: PAGE_2, newest: SINCE } });

    await store().save(key, { since: '2026-11-20T09:58:00.000Z' });

    expect(await store().load(key)).toEqual({ since: '2026-11-20T09:58:00.000Z' });
  });

  it('refuses a save that would move the cursor backwards and keeps the newer one', async () => {
    const key = feedKey();
    await store().save(key, { since: '2026-11-20T09:58:00.000Z' });

    const stale = store().save(key, { since: SINCE, walk: { pageToken: PAGE_2, newest: SINCE } });

    await expect(stale).rejects.toBeInstanceOf(CursorMovedOnError);
    expect(await store().load(key)).toEqual({ since: '2026-11-20T09:58:00.000Z' });
  });

  it('compares times, not spellings: an equal instant written differently is not a step back', async () => {
    const key = feedKey();
    await store().save(key, { since: '2026-11-20T09:58:00.000Z' });

    await store().save(key, { since: '2026-11-20T10:58:00+01:00', walk: { pageToken: 'p3', newest: SINCE } });

    expect((await store().load(key))?.walk?.pageToken).toBe('p3');
  });

  it('ends at the newest cursor whatever order 20 concurrent saves land in', async () => {
    const key = feedKey();
    const times = Array.from({ length: 20 }, (_, i) =>
      new Date(Date.parse(SINCE) + i * 60_000).toISOString(),
    );
    const shuffled = [...times].sort(() => Math.random() - 0.5);

    const results = await Promise.allSettled(shuffled.map((since) => store().save(key, { since })));

    expect(await store().load(key)).toEqual({ since: times.at(-1) });
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(CursorMovedOnError);
    }
  });

  describe('with the YouTube poller on recorded answers', () => {
    async function cleanRun() {
      const cursors = store();
      const key = `clean-${++n}`;
      const source = { ...ctx, source: { ...ctx.source, id: key } };
      await cursors.save(`${key}#threads`, { since: SINCE });
      const sink = new Sink();
      await runPoller(youtubePoller, source, { http: new RecordedYoutube(), cursors, sink });
      return sink;
    }

    async function seeded() {
      const id = `yt-${++n}`;
      const cursors = store();
      await cursors.save(`${id}#threads`, { since: SINCE });
      return { id, cursors, source: { ...ctx, source: { ...ctx.source, id } } };
    }

    it('resumes a run that crashed fetching page 2 at page 2: every comment once, none missing', async () => {
      const clean = await cleanRun();
      const { id, cursors, source } = await seeded();
      const sink = new Sink();
      const crashing = new RecordedYoutube((url) => url.includes(`pageToken=${PAGE_2}`));

      await expect(runPoller(youtubePoller, source, { http: crashing, cursors, sink })).rejects.toThrow(
        'connection reset',
      );
      const afterCrash = await store().load(`${id}#threads`);
      const resumed = new RecordedYoutube();
      await runPoller(youtubePoller, source, { http: resumed, cursors: store(), sink });

      expect(afterCrash).toEqual({
        since: SINCE,
        walk: { pageToken: PAGE_2, newest: '2026-11-20T09:58:00.000Z' },
      });
      expect(resumed.urls[0]).toContain(`pageToken=${PAGE_2}`);
      expect(clean.events.length).toBeGreaterThan(0);
      expect(sink.keys().sort()).toEqual(
        clean
          .keys()
          .map((k) => k.replace(/^clean-\d+:/, `${id}:`))
          .sort(),
      );
      expect(await store().load(`${id}#threads`)).toEqual({ since: '2026-11-20T09:58:00.000Z' });
    });

    it('repeats only the page whose cursor save was lost, with the same dedupe keys, and skips nothing', async () => {
      const clean = await cleanRun();
      const { id, cursors, source } = await seeded();
      const sink = new Sink();

      // Save 1 is the walk after page 1: page 1 is enqueued, then the run dies.
      await expect(
        runPoller(youtubePoller, source, {
          http: new RecordedYoutube(),
          cursors: new FailingSaves(cursors, 1),
          sink,
        }),
      ).rejects.toThrow('killed before the cursor was saved');
      const firstAttempt = sink.keys();
      await runPoller(youtubePoller, source, { http: new RecordedYoutube(), cursors: store(), sink });

      const expected = clean.keys().map((k) => k.replace(/^clean-\d+:/, `${id}:`));
      expect(new Set(sink.keys())).toEqual(new Set(expected));
      expect(sink.events.length - expected.length).toBe(firstAttempt.length);
      expect(await store().load(`${id}#threads`)).toEqual({ since: '2026-11-20T09:58:00.000Z' });
    });

    it('stops the slower of two overlapping runs instead of letting it rewind the cursor', async () => {
      const { id, cursors, source } = await seeded();
      const slowSink = new Sink();
      let releaseSlow: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        releaseSlow = resolve;
      });
      // The slow run loads the cursor, then hangs on its first page until the fast run has finished.
      let loaded: () => void = () => {};
      const slowHasLoaded = new Promise<void>((resolve) => {
        loaded = resolve;
      });
      const slowHttp: HttpClient = {
        async send(request) {
          loaded();
          await gate;
          return new RecordedYoutube().send(request);
        },
      };
      const slow = runPoller(youtubePoller, source, { http: slowHttp, cursors, sink: slowSink });
      await slowHasLoaded;
      await runPoller(youtubePoller, source, {
        http: new RecordedYoutube(),
        cursors: store(),
        sink: new Sink(),
      });
      const afterFast = await store().load(`${id}#threads`);

      releaseSlow();

      await expect(slow).rejects.toBeInstanceOf(CursorMovedOnError);
      expect(await store().load(`${id}#threads`)).toEqual(afterFast);
      expect(afterFast).toEqual({ since: '2026-11-20T09:58:00.000Z' });
    });
  });
});
