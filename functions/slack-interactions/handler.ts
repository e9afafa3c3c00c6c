import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import {
  feedbackFromEnv,
  secretsFromEnv,
  slackResponderFromEnv,
  storeFromEnv,
} from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/runtime.ts';
import { tracer } from '../../shared/observability/tracer.ts';
import { makeHandler } from './make-handler.ts';

const config = runtimeConfig();
const store = storeFromEnv(config);

/** The Lambda entry point: the Slack sources' signing secrets, the table, Slack's response URLs. */
export const handler = makeHandler({
  config,
  secrets: secretsFromEnv(),
  items: store,
  store,
  feedback: feedbackFromEnv(config),
  responder: slackResponderFromEnv(),
}).use(captureLambdaHandler(tracer));
