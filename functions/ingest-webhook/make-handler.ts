import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type IngestDeps, ingestWebhook } from '../../shared/core/ingest-webhook.ts';
import { type HttpResult, httpErrors, toWebhookRequest } from '../../shared/http/api-gateway.ts';
import { logger } from '../../shared/observability/powertools.ts';

/** POST|GET /webhooks/{source}: verify, answer the handshake or enqueue, ack. */
export function makeHandler(deps: IngestDeps) {
  async function ingest(event: APIGatewayProxyEventV2): Promise<HttpResult> {
    const sourceId = event.pathParameters?.source ?? '';
    const response = await ingestWebhook(sourceId, toWebhookRequest(event), deps);
    logger.info('webhook handled', { source: sourceId, status: response.status });
    return {
      statusCode: response.status,
      headers: { 'content-type': response.contentType },
      body: response.body,
    };
  }

  return middy<APIGatewayProxyEventV2, HttpResult>(ingest)
    .use(httpErrors(logger))
    .use(injectLambdaContext(logger));
}
