import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { WebhookRequest } from '../platforms/source.ts';
import { httpErrorAnswer } from './errors-to-http.ts';

export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The exact request bytes and lower-cased headers of an HTTP API (payload 2.0) event. */
export function toWebhookRequest(event: APIGatewayProxyEventV2): WebhookRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value;
  }
  const body = event.body ?? '';
  return {
    method: event.requestContext.http.method.toUpperCase(),
    headers,
    query,
    rawBody: Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8'),
  };
}

export function jsonResult(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Turns any thrown error into its JSON answer (shared/http/errors-to-http.ts decides which) and logs it. */
export function errorResult(error: unknown, logger: Logger): HttpResult {
  const answer = httpErrorAnswer(error);
  if (answer.fault === 'caller') {
    logger.warn('request rejected', { status: answer.status, reason: answer.body.message });
  } else {
    logger.error('request failed', {
      status: answer.status,
      code: answer.body.error,
      error,
      cause: (error as Error | undefined)?.cause,
    });
  }
  return jsonResult(answer.status, answer.body);
}

/** Middy middleware, used outermost, so every thrown error becomes a JSON answer. */
export function httpErrors(logger: Logger): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    onError: async (request) => {
      request.response = errorResult(request.error, logger);
    },
  };
}
