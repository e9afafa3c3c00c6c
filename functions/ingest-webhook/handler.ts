import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { FetchHttpClient } from '../../shared/adapters/fetch-http-client.ts';
import { requireEnv } from '../../shared/adapters/from-env.ts';
import { DevSecretStore, SecretsManagerStore } from '../../shared/adapters/secrets.ts';
import { SqsCommentQueue } from '../../shared/adapters/sqs-queue.ts';
import { runtimeConfig } from '../../shared/config/load.ts';
import { ingestWebhook } from '../../shared/core/ingest-webhook.ts';
import { type HttpResult, httpErrors, toWebhookRequest } from '../../shared/http/api-gateway.ts';
import { logger } from '../../shared/observability/powertools.ts';
import { SOURCES } from '../../shared/platforms/index.ts';
import { createSlackSource } from '../../shared/platforms/slack.ts';
import { SlackApiUserDirectory } from '../../shared/platforms/slack-users.ts';

const config = runtimeConfig();
// Requests go to the configured SQS endpoint, not the queue URL's host: identical in AWS, and it lets
// the local emulator's `sqs.<region>.localhost` URLs work where that name does not resolve.
const queue = new SqsCommentQueue(new SQSClient({ useQueueUrlAsEndpoint: false }), requireEnv('QUEUE_URL'));
const secrets =
  process.env.AUTOPILOT_LOCAL === '1'
    ? new DevSecretStore()
    : new SecretsManagerStore(JSON.parse(requireEnv('SOURCE_SECRETS')) as Record<string, string>);

// Slack author names from users.info when a Slack source's secret carries a bot token; cached per
// warm function, and a slow or failing Slack API never holds the ack back.
const sources = {
  ...SOURCES,
  slack: createSlackSource({
    users: new SlackApiUserDirectory(new FetchHttpClient({ timeoutMs: 1_000, maxBodyBytes: 1024 * 1024 }), {
      onProblem: (problem) => logger.warn(problem),
    }),
  }),
};

/** POST|GET /webhooks/{source}: verify, answer the handshake or enqueue, ack. */
async function ingest(event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const sourceId = event.pathParameters?.source ?? '';
  const response = await ingestWebhook(sourceId, toWebhookRequest(event), {
    config,
    sources,
    secrets,
    queue,
  });
  logger.info('webhook handled', { source: sourceId, status: response.status });
  return {
    statusCode: response.status,
    headers: { 'content-type': response.contentType },
    body: response.body,
  };
}

export const handler = middy<APIGatewayProxyEventV2, HttpResult>(ingest)
  .use(httpErrors(logger))
  .use(injectLambdaContext(logger));
