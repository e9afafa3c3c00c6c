import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handleSlackInteraction, type InteractionDeps } from '../../shared/core/slack-interactions.ts';
import { type HttpResult, httpErrors, toWebhookRequest } from '../../shared/http/api-gateway.ts';
import { logger } from '../../shared/observability/powertools.ts';

/** POST /slack/interactions: a click on a chat notification's button; Slack wants a 200 within 3 s. */
export function makeHandler(deps: InteractionDeps) {
  async function interact(event: APIGatewayProxyEventV2): Promise<HttpResult> {
    const { outcome } = await handleSlackInteraction(toWebhookRequest(event), deps);
    logger.info('slack interaction handled', { outcome });
    return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '' };
  }
  return middy<APIGatewayProxyEventV2, HttpResult>(interact)
    .use(httpErrors(logger))
    .use(injectLambdaContext(logger));
}
