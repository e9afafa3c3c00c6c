import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import {
  chatFromEnv,
  dispatchProgressFromEnv,
  notifierFromEnv,
  outboxDeadLettersFromEnv,
  storesFromEnv,
} from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/runtime.ts';
import { tracer } from '../../shared/observability/tracer.ts';
import { makeHandler } from './make-handler.ts';

const config = runtimeConfig();

/** The Lambda entry point, composed once per cold start: DynamoDB, SNS, SQS, Secrets Manager and the chat APIs, traced. */
export const handler = makeHandler({
  config,
  notifier: notifierFromEnv(),
  comments: storesFromEnv(config).comments,
  progress: dispatchProgressFromEnv(),
  deadLetters: outboxDeadLettersFromEnv(),
  chat: chatFromEnv(),
}).use(captureLambdaHandler(tracer));
