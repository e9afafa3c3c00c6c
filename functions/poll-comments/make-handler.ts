import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { CursorMovedOnError } from '../../shared/adapters/dynamodb-cursor-store.ts';
import {
  FetchHttpClient,
  type FetchHttpClientOptions,
  RunBudgetSpentError,
} from '../../shared/adapters/fetch-http-client.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import type { CommentQueue, CursorStore, SecretStore } from '../../shared/core/ports.ts';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.ts';
import { logger } from '../../shared/observability/powertools.ts';
import { POLLERS } from '../../shared/platforms/index.ts';
import { type FeedReport, type HttpClient, runPoller } from '../../shared/platforms/pollers/poller.ts';

export interface PollCommentsDeps {
  config: AutopilotConfig;
  secrets: SecretStore;
  cursors: CursorStore;
  queue: CommentQueue;
  /** One client per run (it carries the run's deadline). Default: Node's fetch. */
  httpClient?: (options: FetchHttpClientOptions) => HttpClient;
}

/** One platform request may take this long (the APIs answer in well under a second when healthy). */
const REQUEST_TIMEOUT_MS = 10_000;
/** No request starts this close to the invocation's deadline: finished pages are saved, the rest waits. */
const DEADLINE_MARGIN_MS = 15_000;

/** What each EventBridge Scheduler schedule sends: one schedule per polled source. */
export const PollRequest = z.object({ source: z.string().min(1) });

export interface PollOutcome {
  source: string;
  feeds: FeedReport[];
  /** Why the run ended early, when it did. */
  stopped?: 'time-budget' | 'superseded';
}

/** One polled source per invocation: read each feed from its cursor, enqueue, move the cursor. */
export function makeHandler(deps: PollCommentsDeps) {
  const { config, secrets, cursors, queue } = deps;
  const httpClient = deps.httpClient ?? ((options) => new FetchHttpClient(options));

  async function poll(event: unknown, context: Context): Promise<PollOutcome> {
    const parsed = PollRequest.safeParse(event);
    if (!parsed.success) throw new ValidationError(`invalid poll request: ${z.prettifyError(parsed.error)}`);
    const sourceId = parsed.data.source;
    const source = config.sources.find((s) => s.id === sourceId);
    const poller = source && POLLERS[source.type];
    if (!source || !poller) throw new NotFoundError(`no polled source "${sourceId}" in the configuration`);
    const community = config.communities.find((c) => c.id === source.community);
    if (!community) throw new NotFoundError(`source "${sourceId}" names an unknown community`);

    const http = httpClient({
      timeoutMs: REQUEST_TIMEOUT_MS,
      stopAt: Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS,
    });
    const ctx = { source, community, secret: await secrets.sourceSecret(sourceId), now: new Date() };
    try {
      const feeds = await runPoller(poller, ctx, { http, cursors, sink: queue });
      logger.info('poll finished', { source: sourceId, feeds });
      return { source: sourceId, feeds };
    } catch (error) {
      // Both end the run cleanly: every page already queued has its cursor saved, the next run resumes.
      if (error instanceof RunBudgetSpentError) {
        logger.warn('poll stopped at the time budget', { source: sourceId });
        return { source: sourceId, feeds: [], stopped: 'time-budget' };
      }
      if (error instanceof CursorMovedOnError) {
        logger.warn('an overlapping poll run is further along; this one stops', { source: sourceId });
        return { source: sourceId, feeds: [], stopped: 'superseded' };
      }
      throw error;
    }
  }

  return middy(poll).use(injectLambdaContext(logger));
}
