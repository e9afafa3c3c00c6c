import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { FetchHttpClient } from '../../shared/adapters/fetch-http-client.ts';
import { queueFromEnv, secretsFromEnv } from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/runtime.ts';
import { logger } from '../../shared/observability/powertools.ts';
import { tracer } from '../../shared/observability/tracer.ts';
import { SOURCES } from '../../shared/platforms/index.ts';
import { createSlackSource } from '../../shared/platforms/slack.ts';
import { SlackApiUserDirectory } from '../../shared/platforms/slack-users.ts';
import { makeHandler } from './make-handler.ts';

/** The Lambda entry point, composed once per cold start: SQS and Secrets Manager, traced. */
export const handler = makeHandler({
  config: runtimeConfig(),
  queue: queueFromEnv(),
  secrets: secretsFromEnv(),
  // Slack author names from users.info when a Slack source's secret carries a bot token; cached per
  // warm function, and a slow or failing Slack API never holds the ack back.
  sources: {
    ...SOURCES,
    slack: createSlackSource({
      users: new SlackApiUserDirectory(new FetchHttpClient({ timeoutMs: 1_000, maxBodyBytes: 1024 * 1024 }), {
        onProblem: (problem) => logger.warn(problem),
      }),
    }),
  },
}).use(captureLambdaHandler(tracer));
