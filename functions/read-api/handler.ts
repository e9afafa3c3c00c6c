import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { storesFromEnv } from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/runtime.ts';
import { tracer } from '../../shared/observability/tracer.ts';
import { makeHandler } from './make-handler.ts';

const config = runtimeConfig();

/** The Lambda entry point, composed once per cold start: DynamoDB, traced. */
export const handler = makeHandler({ config, ...storesFromEnv(config) }).use(captureLambdaHandler(tracer));
