import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { storeFromEnv } from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/load.ts';
import { type DigestOutcome, sendDigest } from '../../shared/core/digests.ts';
import { logger } from '../../shared/observability/powertools.ts';

const config = runtimeConfig();
const store = storeFromEnv(config);
const deps = { config, kpis: store, members: store, items: store, once: store };

/** What the EventBridge Scheduler schedules send (per community, in its time zone). */
const DigestRequest = z.object({
  community: z.string().min(1),
  kind: z.enum(['daily', 'weekly']).default('daily'),
  force: z.boolean().default(false),
  /** Report on this day (or this day's week) instead of the last complete one. */
  date: z.iso.date().optional(),
});

async function digest(event: unknown): Promise<DigestOutcome> {
  const request = DigestRequest.parse(event);
  const outcome = await sendDigest(request.community, request.kind, deps, {
    force: request.force,
    ...(request.date ? { date: request.date } : {}),
  });
  logger.info('digest', { community: request.community, kind: request.kind, sent: outcome.sent });
  return outcome;
}

export const handler = middy(digest).use(injectLambdaContext(logger));
