import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDispatchProgress } from '../../shared/adapters/dynamodb-dispatch-progress.ts';
import { notifierFromEnv, requireEnv, storeFromEnv } from '../../shared/adapters/from-env.ts';
import { SqsDeadLetters } from '../../shared/adapters/sqs-dead-letters.ts';
import { runtimeConfig } from '../../shared/config/load.ts';
import { makeHandler } from './make-handler.ts';

const config = runtimeConfig();

export const handler = makeHandler({
  config,
  notifier: notifierFromEnv(),
  comments: storeFromEnv(config),
  progress: new DynamoDispatchProgress(new DynamoDBClient({}), requireEnv('TABLE_NAME')),
  deadLetters: new SqsDeadLetters(new SQSClient({}), requireEnv('OUTBOX_DLQ_URL')),
});
