import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import {
  dispatchProgressFromEnv,
  notifierFromEnv,
  outboxDeadLettersFromEnv,
  storesFromEnv,
} from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/load.ts';
import { tracer } from '../../shared/observability/tracer.ts';
import { makeHandler } from './make-handler.ts';

const config = runtimeConfig();

/** The Lambda entry point, composed once per cold start: DynamoDB, SNS and SQS, traced. */
export const handler = makeHandler({
  config,
  notifier: notifierFromEnv(),
  comments: storesFromEnv(config).comments,
  progress: dispatchProgressFromEnv(),
  deadLetters: outboxDeadLettersFromEnv(),
}).use(captureLambdaHandler(tracer));
