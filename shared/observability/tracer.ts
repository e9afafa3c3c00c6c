import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The Powertools tracer singleton, imported only by the production compositions
 * (functions/<name>/handler.ts and shared/adapters/from-env.ts): tests and the local runtime never
 * load the X-Ray SDK. Outside Lambda (no AWS_EXECUTION_ENV) it disables itself.
 */
export const tracer = new Tracer();

/** Every SDK client a production composition builds goes through this: one subsegment per AWS call. */
export function traced<Client>(client: Client): Client {
  return tracer.captureAWSv3Client(client);
}
