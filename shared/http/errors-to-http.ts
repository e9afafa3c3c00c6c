import {
  AppError,
  AuthError,
  ConfigError,
  ConflictError,
  DependencyError,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../domain/errors.ts';

/** How an error is answered over HTTP. */
export interface HttpErrorAnswer {
  status: number;
  /** The JSON body `{ error, message }`. */
  body: { error: string; message: string };
  /** Whether the error is the caller's (logged as a warning) or ours (logged as an error, with its cause). */
  fault: 'caller' | 'service';
}

const UNEXPECTED_MESSAGE = 'unexpected error; it has been logged';

/**
 * The one place where errors become HTTP answers. The caller's mistakes keep their message; a
 * failed dependency or a conflict is retryable and says so; a configuration error or anything
 * unexpected is a 500 whose details stay in the logs.
 */
export function httpErrorAnswer(error: unknown): HttpErrorAnswer {
  const status = httpStatusOf(error);
  if (!(error instanceof AppError) || error instanceof ConfigError) {
    return {
      status,
      body: { error: error instanceof AppError ? error.code : 'internal_error', message: UNEXPECTED_MESSAGE },
      fault: 'service',
    };
  }
  return {
    status,
    body: { error: error.code, message: error.message },
    fault: status >= 500 ? 'service' : 'caller',
  };
}

/** The HTTP status of an error. Checked in this order, so a subclass of one of these maps as its parent. */
export function httpStatusOf(error: unknown): number {
  if (error instanceof ValidationError) return 400;
  if (error instanceof AuthError) return 401;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof DependencyError) return 503;
  return 500;
}
