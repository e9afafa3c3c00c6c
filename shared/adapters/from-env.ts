import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AutopilotConfig } from '../config/schema.ts';
import { ConfigError } from '../domain/errors.ts';
import { DynamoCommentStore } from './dynamodb-store.ts';
import { SnsNotifier, topicArnsFromEnv } from './sns-notifier.ts';

/**
 * Composition helpers for the handlers: each reads the environment the CDK stack (or the local
 * runtime) sets, and fails at cold start with the missing variable's name.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

export function storeFromEnv(config: AutopilotConfig): DynamoCommentStore {
  return new DynamoCommentStore(new DynamoDBClient({}), {
    tableName: requireEnv('TABLE_NAME'),
    retentionDays: config.retention.commentTextDays,
  });
}

export function notifierFromEnv(): SnsNotifier {
  return new SnsNotifier(new SNSClient({}), topicArnsFromEnv('TEAM_TOPICS'));
}
