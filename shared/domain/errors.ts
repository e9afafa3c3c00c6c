/** Errors the core raises; mapped to HTTP status codes in one place (shared/http/respond.ts). */
export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input the caller sent is malformed: 400, with a message naming the problem. */
export class ValidationError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 400, 'invalid_request', options);
  }
}

/** Signature, token or timestamp check failed: 401. The message never echoes secrets. */
export class AuthError extends AppError {
  constructor(message: string) {
    super(message, 401, 'unauthorized');
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(message, 404, 'not_found');
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(message, 413, 'payload_too_large');
  }
}

/** A dependency (DynamoDB, SNS, SQS, Comprehend, Secrets Manager) failed: retryable, 503 at the edge. */
export class DependencyError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 503, 'dependency_failed', options);
  }
}
