import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { storeFromEnv } from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/load.ts';
import { readKpis } from '../../shared/core/read-kpis.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { type HttpResult, httpErrors, jsonResult } from '../../shared/http/api-gateway.ts';
import { logger } from '../../shared/observability/powertools.ts';

const config = runtimeConfig();
const store = storeFromEnv(config);

/** The read side: GET /kpis (IAM-authenticated when deployed). */
async function read(event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const path = event.requestContext.http.path;
  const query = event.queryStringParameters ?? {};
  if (path === '/kpis') return jsonResult(200, await readKpis(query, { config, kpis: store }));
  throw new NotFoundError(`no route ${event.requestContext.http.method} ${path}`);
}

export const handler = middy<APIGatewayProxyEventV2, HttpResult>(read)
  .use(httpErrors(logger))
  .use(injectLambdaContext(logger));
