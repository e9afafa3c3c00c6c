import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { notifierFromEnv, storeFromEnv } from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/load.ts';
import { type DigestOutcome, sendDailyDigest } from '../../shared/core/daily-digest.ts';
import { logger } from '../../shared/observability/powertools.ts';

const config = runtimeConfig();
const store = storeFromEnv(config);
const deps = { config, kpis: store, once: store, notifier: notifierFromEnv() };

/** What the EventBridge Scheduler schedule sends (one schedule per community, in its time zone). */
const DigestRequest = z.object({
  community: z.string().min(1),
  kind: z.literal('daily').default('daily'),
  force: z.boolean().default(false),
});

async function digest(event: unknown): Promise<DigestOutcome> {
  const request = DigestRequest.parse(event);
  const outcome = await sendDailyDigest(request.community, deps, { force: request.force });
  logger.info('daily digest', { community: request.community, sent: outcome.sent });
  return outcome;
}

export const handler = middy(digest).use(injectLambdaContext(logger));
