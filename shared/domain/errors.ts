/**
 * The errors the product raises on purpose. They say what went wrong, never how a transport shows
 * it: the one mapping to HTTP lives at the edge (shared/http/errors-to-http.ts). Anything else thrown
 * is a defect.
 */
export abstract class AppError extends Error {
  /** A stable, machine-readable reason, for logs and error bodies. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // A fallback: the classes here also name themselves, as the Lambda bundles are minified.
    this.name = new.target.name;
  }
}

/** Input the caller sent is malformed; the message names the problem. */
export class ValidationError extends AppError {
  override name = 'ValidationError';
  override readonly code = 'invalid_request';
}

/** A signature, token or timestamp check failed. The message never echoes secrets. */
export class AuthError extends AppError {
  override name = 'AuthError';
  override readonly code = 'unauthorized';
}

/** What the caller names (a source, a community, a route) does not exist. */
export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  override readonly code = 'not_found';
}

/** The input is larger than the product accepts. */
export class PayloadTooLargeError extends AppError {
  override name = 'PayloadTooLargeError';
  override readonly code = 'payload_too_large';
}

/** Someone else got there first (another run holds the work, a concurrent write won): retry later. */
export class ConflictError extends AppError {
  override name = 'ConflictError';
  override readonly code = 'conflict';
}

/** A dependency (DynamoDB, SNS, SQS, Comprehend, Secrets Manager, a platform API) failed or answered nonsense: retryable. */
export class DependencyError extends AppError {
  override name = 'DependencyError';
  override readonly code = 'dependency_failed';
}

/** The configuration (file or environment) is invalid or incomplete: fixing it takes a person, not a retry. */
export class ConfigError extends AppError {
  override name = 'ConfigError';
  override readonly code = 'invalid_configuration';
}
