import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.ts';
import { CursorMovedOnError } from '../../../shared/adapters/dynamodb-cursor-store.ts';
import {
  type AppError,
  AuthError,
  ConfigError,
  ConflictError,
  DependencyError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../../../shared/domain/errors.ts';
import { type HttpResult, httpErrors } from '../../../shared/http/api-gateway.ts';
import { httpErrorAnswer, httpStatusOf } from '../../../shared/http/errors-to-http.ts';

/** A handler that throws `error`, behind the middleware the HTTP functions use. */
async function answerTo(error: unknown): Promise<{ result: HttpResult; logger: Logger }> {
  const logger = new Logger({ logLevel: 'SILENT' });
  vi.spyOn(logger, 'warn');
  vi.spyOn(logger, 'error');
  const handler = middy<APIGatewayProxyEventV2, HttpResult>(async () => {
    throw error;
  }).use(httpErrors(logger));
  const result = await handler({} as APIGatewayProxyEventV2, lambdaContext('test'));
  return { result, logger };
}

describe('errors to HTTP', () => {
  it.each([
    [new ValidationError('"from" must not be after "to"'), 400, 'invalid_request'],
    [new AuthError('signature does not match'), 401, 'unauthorized'],
    [new NotFoundError('unknown source "myspace"'), 404, 'not_found'],
    [new ConflictError('the daily digest is being sent by another run'), 409, 'conflict'],
    [new PayloadTooLargeError('body is 2000000 bytes'), 413, 'payload_too_large'],
    [
      new DependencyError('DynamoDB request failed', { cause: new Error('timeout') }),
      503,
      'dependency_failed',
    ],
  ])('answers %s with %i, its code and its message', async (error, status, code) => {
    const { result } = await answerTo(error);

    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body as string)).toEqual({ error: code, message: error.message });
  });

  it('maps a subclass as its parent: a cursor moved on by another run is a conflict', () => {
    expect(httpStatusOf(new CursorMovedOnError('yt#threads'))).toBe(409);
  });

  it('answers an unexpected error with a logged 500 that does not show its message', async () => {
    const error = new TypeError('cannot read properties of undefined (reading "secret")');

    const { result, logger } = await answerTo(error);

    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body as string)).toEqual({
      error: 'internal_error',
      message: 'unexpected error; it has been logged',
    });
    expect(logger.error).toHaveBeenCalledWith('request failed', expect.objectContaining({ error }));
  });

  it('answers a configuration error with a 500 that keeps the configuration out of the body', async () => {
    const { result } = await answerTo(new ConfigError('environment variable TABLE_NAME is not set'));

    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('TABLE_NAME');
    expect(JSON.parse(result.body as string).error).toBe('invalid_configuration');
  });

  it("logs the caller's mistakes as warnings and a failed dependency as an error with its cause", async () => {
    const cause = new Error('ECONNRESET');

    const rejected = await answerTo(new AuthError('signature does not match'));
    const failed = await answerTo(new DependencyError('publishing failed', { cause }));

    expect(rejected.logger.warn).toHaveBeenCalledWith('request rejected', {
      status: 401,
      reason: 'signature does not match',
    });
    expect(rejected.logger.error).not.toHaveBeenCalled();
    expect(failed.logger.error).toHaveBeenCalledWith('request failed', expect.objectContaining({ cause }));
  });

  it('answers anything thrown, even a value that is not an Error', () => {
    expect(httpErrorAnswer('boom')).toMatchObject({ status: 500, fault: 'service' });
    expect(httpErrorAnswer(undefined)).toMatchObject({ status: 500, fault: 'service' });
  });
});

describe('domain errors', () => {
  const all = [
    new ValidationError('v'),
    new AuthError('a'),
    new NotFoundError('n'),
    new PayloadTooLargeError('p'),
    new ConflictError('c'),
    new DependencyError('d', { cause: 'x' }),
    new ConfigError('k'),
  ];

  it('carry no HTTP status of their own', () => {
    for (const error of all) {
      const own = Object.entries(error).filter(([, value]) => typeof value === 'number');

      expect(own, error.name).toEqual([]);
      expect(Object.hasOwn(error, 'status'), error.name).toBe(false);
    }
  });

  it('name themselves, so the minified bundles still log which error it was', () => {
    expect(all.map((e) => e.name)).toEqual([
      'ValidationError',
      'AuthError',
      'NotFoundError',
      'PayloadTooLargeError',
      'ConflictError',
      'DependencyError',
      'ConfigError',
    ]);
    expect(new CursorMovedOnError('k').name).toBe('CursorMovedOnError');
  });

  it('keep the cause they were given', () => {
    const cause = new Error('throttled');

    expect(new DependencyError('DynamoDB request failed', { cause }).cause).toBe(cause);
  });
});
