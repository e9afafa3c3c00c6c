import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError } from '../domain/errors.ts';
import type { WebhookRequest } from '../platforms/source.ts';

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

/** Maps errors to HTTP in one place: known errors keep their status and message, anything else is a logged 500. */
export function errorResult(error: unknown, logger: Logger): HttpResult {
  if (error instanceof AppError) {
    if (error.status >= 500) logger.error('dependency failed', { error, cause: error.cause });
    else logger.warn('request rejected', { status: error.status, reason: error.message });
    return jsonResult(error.status, { error: error.code, message: error.message });
  }
  logger.error('unexpected error', { error });
  return jsonResult(500, { error: 'internal_error', message: 'unexpected error; it has been logged' });
}

/** Middy middleware, used outermost, so every thrown error becomes a JSON answer. */
export function httpErrors(logger: Logger): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    onError: async (request) => {
      request.response = errorResult(request.error, logger);
    },
  };
}
