import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import { listCommunities, openThreads, topMembers } from '../../shared/core/insights.ts';
import type { CommentStore, KpiStore, MemberStore, OpenItemStore } from '../../shared/core/ports.ts';
import { readKpis } from '../../shared/core/read-kpis.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { type HttpResult, httpErrors, jsonResult } from '../../shared/http/api-gateway.ts';
import { logger } from '../../shared/observability/powertools.ts';

export interface ReadApiDeps {
  config: AutopilotConfig;
  kpis: KpiStore;
  members: MemberStore;
  items: OpenItemStore;
  comments: Pick<CommentStore, 'comments'>;
}

/** The read side (IAM-authenticated when deployed): one function, a route per question. */
export function makeHandler({ config, kpis, members, items, comments }: ReadApiDeps) {
  const routes: Record<string, (query: Record<string, string | undefined>) => Promise<unknown>> = {
    '/communities': async () => listCommunities(config),
    '/kpis': (query) => readKpis(query, { config, kpis }),
    '/members/top': (query) => topMembers(query, { config, kpis, members }),
    '/threads/open': (query) => openThreads(query, { config, items, comments }),
  };

  async function read(event: APIGatewayProxyEventV2): Promise<HttpResult> {
    const path = event.requestContext.http.path.replace(/\/+$/, '') || '/';
    const route = routes[path];
    if (!route || event.requestContext.http.method !== 'GET') {
      throw new NotFoundError(`no route ${event.requestContext.http.method} ${path}`);
    }
    return jsonResult(200, await route(event.queryStringParameters ?? {}));
  }

  return middy<APIGatewayProxyEventV2, HttpResult>(read)
    .use(httpErrors(logger))
    .use(injectLambdaContext(logger));
}
