import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import {
  feedbackFromEnv,
  secretsFromEnv,
  slackResponderFromEnv,
  storesFromEnv,
} from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/runtime.ts';
import { tracer } from '../../shared/observability/tracer.ts';
import { makeHandler } from './make-handler.ts';

const config = runtimeConfig();
const stores = storesFromEnv(config);

/** The Lambda entry point: the Slack sources' signing secrets, the table, Slack's response URLs. */
export const handler = makeHandler({
  config,
  secrets: secretsFromEnv(),
  items: stores.items,
  store: stores.comments,
  feedback: feedbackFromEnv(config),
  responder: slackResponderFromEnv(),
}).use(captureLambdaHandler(tracer));
