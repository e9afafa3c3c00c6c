import type { CursorStore, FeedCursor } from '../../core/ports.ts';
import type { CommentEvent } from '../../domain/comment.ts';
import { DependencyError } from '../../domain/errors.ts';
import { BatchCollector, type DraftEvent } from '../parse-helpers.ts';
import type { SourceContext } from '../source.ts';

/**
 * Scheduled polling for platforms that push nothing (YouTube, Reddit). One run walks each feed
 * newest-first, page by page, until it reaches what an earlier run already covered, and enqueues
 * through the same queue (and the same CommentEvent contract) as the webhooks.
 *
 * Crash safety: a page's events are enqueued before the cursor moves past that page, and the
 * cursor is saved after every page. A run that dies mid-walk resumes at the page it was on: the
 * page may be enqueued twice, which the dedupe keys absorb, but nothing is skipped. Newest-first
 * listings only shift items towards later pages when new ones arrive, which again means a
 * possible repeat, never a gap; the newest time seen when the walk started becomes the next
 * run's starting point only once the walk is complete.
 */

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** Injected so tests replay recorded responses and never touch the network. */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

export interface EventSink {
  enqueue(events: readonly CommentEvent[]): Promise<void>;
}

/** One comment as a listing shows it; the engine decides whether it is new, edited or already seen. */
export interface PolledItem {
  /** The created-event draft (its dedupeKey is used as is for creations). */
  draft: DraftEvent;
  publishedAt: string;
  /** When the platform says it was last edited, if ever. */
  editedAt?: string;
}

export type PageResult =
  | {
      kind: 'page';
      items: PolledItem[];
      /** Items the page held but could not read, by position. */
      rejected: { index: number; reason: string }[];
      /** The time of the oldest listed entry (thread root or comment), which drives the stop. */
      oldest?: string;
      next?: string;
      /** Read this page, then stop (the rate limit is spent); the walk resumes at `next`. */
      throttle?: string;
    }
  /** Quota spent or rate limit reached: stop now, keep the cursor, try again on the next schedule. */
  | { kind: 'throttled'; reason: string; retryAfterSeconds?: number }
  /** The page token is no longer accepted: restart the walk from the newest page. */
  | { kind: 'stale-token' };

export interface PollFeed {
  readonly name: string;
  /** How far before `since` entries must still be read (YouTube lists threads, not replies). */
  readonly lookbackMs: number;
  fetchPage(pageToken: string | undefined, run: PollRun): Promise<PageResult>;
}

export interface PollSource {
  readonly type: string;
  /** Feeds of one configured source, and per-run authorization (a token request) if the API needs one. */
  feeds(ctx: SourceContext): PollFeed[];
  authorize?(http: HttpClient, ctx: SourceContext): Promise<Record<string, string>>;
}

export interface PollRun {
  ctx: SourceContext;
  http: HttpClient;
  auth: Record<string, string>;
}

export interface PollDeps {
  http: HttpClient;
  cursors: CursorStore;
  sink: EventSink;
  /** Upper bound of pages per feed per run, to bound quota use and run time. */
  maxPages?: number;
  /** Window read on the very first run of a feed. */
  backfillMs?: number;
}

export interface FeedReport {
  feed: string;
  pages: number;
  enqueued: number;
  rejected: number;
  stoppedBecause: 'caught-up' | 'page-limit' | 'throttled';
  detail?: string;
}

const DEFAULT_MAX_PAGES = 20;
const DEFAULT_BACKFILL_MS = 24 * 3600_000;

/** Parses a platform answer as JSON or raises a retryable DependencyError (the platform misbehaved, not the caller). */
export function jsonOf(response: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(response.body);
  } catch (cause) {
    throw new DependencyError(`${what} answered ${response.status} with a body that is not JSON`, { cause });
  }
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** New or edited since the cursor, or nothing. A repeat is harmless (dedupe), so the bound is inclusive. */
function eventFor(item: PolledItem, since: number): DraftEvent | undefined {
  if (Date.parse(item.publishedAt) >= since) return item.draft;
  if (item.editedAt && Date.parse(item.editedAt) >= since && item.editedAt !== item.publishedAt) {
    return { ...item.draft, kind: 'edited', dedupeKey: `${item.draft.comment.id}#edited#${item.editedAt}` };
  }
  return undefined;
}

async function pollFeed(feed: PollFeed, key: string, run: PollRun, deps: PollDeps): Promise<FeedReport> {
  const { ctx } = run;
  const stored = await deps.cursors.load(key);
  const cursor: FeedCursor = stored ?? {
    since: new Date(ctx.now.getTime() - (deps.backfillMs ?? DEFAULT_BACKFILL_MS)).toISOString(),
  };
  const since = Date.parse(cursor.since);
  let pageToken = cursor.walk?.pageToken;
  let newest = cursor.walk?.newest;
  let restarted = false;
  const report: FeedReport = {
    feed: feed.name,
    pages: 0,
    enqueued: 0,
    rejected: 0,
    stoppedBecause: 'page-limit',
  };

  while (report.pages < (deps.maxPages ?? DEFAULT_MAX_PAGES)) {
    const page = await feed.fetchPage(pageToken, run);
    if (page.kind === 'throttled') {
      return { ...report, stoppedBecause: 'throttled', detail: page.reason };
    }
    if (page.kind === 'stale-token') {
      if (pageToken === undefined || restarted) {
        throw new DependencyError(`${feed.name}: the listing refused its page token twice`);
      }
      // Restarting from the newest page repeats items (absorbed by dedupe) but skips none.
      restarted = true;
      pageToken = undefined;
      continue;
    }
    report.pages += 1;
    report.rejected += page.rejected.length;
    const batch = new BatchCollector(ctx.now);
    page.items.forEach((item, index) => {
      const draft = eventFor(item, since);
      if (draft) batch.add(index, draft);
      newest = later(newest, later(item.publishedAt, item.editedAt));
    });
    report.rejected += batch.rejected.length;
    if (batch.events.length > 0) await deps.sink.enqueue(batch.events);
    report.enqueued += batch.events.length;

    const covered = page.oldest !== undefined && Date.parse(page.oldest) < since - feed.lookbackMs;
    if (!page.next || covered) {
      await deps.cursors.save(key, { since: later(cursor.since, newest) ?? cursor.since });
      return { ...report, stoppedBecause: 'caught-up' };
    }
    pageToken = page.next;
    await deps.cursors.save(key, {
      since: cursor.since,
      walk: { pageToken, newest: newest ?? cursor.since },
    });
    if (page.throttle) return { ...report, stoppedBecause: 'throttled', detail: page.throttle };
  }
  return report;
}

/** One scheduled run of a polled source: every feed, each with its own cursor `<source id>#<feed>`. */
export async function runPoller(
  source: PollSource,
  ctx: SourceContext,
  deps: PollDeps,
): Promise<FeedReport[]> {
  const auth = source.authorize ? await source.authorize(deps.http, ctx) : {};
  const run: PollRun = { ctx, http: deps.http, auth };
  const reports: FeedReport[] = [];
  for (const feed of source.feeds(ctx)) {
    reports.push(await pollFeed(feed, `${ctx.source.id}#${feed.name}`, run, deps));
  }
  return reports;
}
