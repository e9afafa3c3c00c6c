import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { comprehendIn, storesFromEnv } from '../../shared/adapters/from-env.ts';
import { communityClassifiers } from '../../shared/classify/for-communities.ts';
import { runtimeConfig } from '../../shared/config/runtime.ts';
import { logger } from '../../shared/observability/powertools.ts';
import { tracer } from '../../shared/observability/tracer.ts';
import { makeHandler } from './make-handler.ts';

const config = runtimeConfig();

/** The Lambda entry point, composed once per cold start: DynamoDB and Comprehend, traced. */
export const handler = makeHandler({
  config,
  classifiers: communityClassifiers({
    comprehend: comprehendIn,
    onError: (op, error) => logger.warn('Comprehend failed; the local answer stands', { op, error }),
  }),
  store: storesFromEnv(config).comments,
}).use(captureLambdaHandler(tracer));
