import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { cursorsFromEnv, queueFromEnv, secretsFromEnv } from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/runtime.ts';
import { tracer } from '../../shared/observability/tracer.ts';
import { makeHandler } from './make-handler.ts';

/** The Lambda entry point, composed once per cold start: cursors in DynamoDB, SQS, Secrets Manager, traced. */
export const handler = makeHandler({
  config: runtimeConfig(),
  secrets: secretsFromEnv(),
  cursors: cursorsFromEnv(),
  queue: queueFromEnv(),
}).use(captureLambdaHandler(tracer));
