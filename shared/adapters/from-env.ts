import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AutopilotConfig } from '../config/schema.ts';
import type { DispatchDeps } from '../core/dispatch-outbox.ts';
import { ConfigError } from '../domain/errors.ts';
import { traced } from '../observability/tracer.ts';
import { SecretsManagerChatSecrets } from './chat-secrets.ts';
import { ComprehendAdapter } from './comprehend.ts';
import { DynamoCursorStore } from './dynamodb-cursor-store.ts';
import { DynamoDeliveryLog } from './dynamodb-delivery-log.ts';
import { DynamoDispatchProgress } from './dynamodb-dispatch-progress.ts';
import { DynamoFeedbackStore } from './dynamodb-feedback-store.ts';
import { type DynamoStores, dynamoStores } from './dynamodb-stores.ts';
import { FetchHttpClient } from './fetch-http-client.ts';
import { SecretsManagerStore } from './secrets.ts';
import { SlackPoster } from './slack-poster.ts';
import { SlackResponder } from './slack-responder.ts';
import { SnsChatbotPoster } from './sns-chatbot-poster.ts';
import { SnsNotifier, topicArnsFromEnv } from './sns-notifier.ts';
import { SnsOperatorAlerts } from './sns-operator-alerts.ts';
import { SqsDeadLetters } from './sqs-dead-letters.ts';
import { SqsCommentQueue } from './sqs-queue.ts';
import { TeamsPoster } from './teams-poster.ts';

/**
 * The production compositions' building blocks: each reads the environment the CDK stack sets,
 * fails at cold start with the missing variable's name, and hands its SDK client to the tracer.
 * Only functions/<name>/handler.ts imports this file; the local runtime and the tests compose
 * their own adapters and read none of these variables.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

function recordEnv(name: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(requireEnv(name));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`environment variable ${name} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError(`environment variable ${name} must be a JSON object`);
  return parsed as Record<string, string>;
}

const dynamo = () => traced(new DynamoDBClient({}));

/** The store of each port the service table serves (one DynamoDB client for all of them). */
export function storesFromEnv(config: AutopilotConfig): DynamoStores {
  return dynamoStores(dynamo(), {
    tableName: requireEnv('TABLE_NAME'),
    retentionDays: config.retention.commentTextDays,
  });
}

export function cursorsFromEnv(): DynamoCursorStore {
  return new DynamoCursorStore(dynamo(), { tableName: requireEnv('TABLE_NAME') });
}

export function dispatchProgressFromEnv(): DynamoDispatchProgress {
  return new DynamoDispatchProgress(dynamo(), requireEnv('TABLE_NAME'));
}

export function notifierFromEnv(): SnsNotifier {
  return new SnsNotifier(traced(new SNSClient({})), topicArnsFromEnv('TEAM_TOPICS'));
}

export function queueFromEnv(): SqsCommentQueue {
  return new SqsCommentQueue(traced(new SQSClient({})), requireEnv('QUEUE_URL'));
}

export function outboxDeadLettersFromEnv(): SqsDeadLetters {
  return new SqsDeadLetters(traced(new SQSClient({})), requireEnv('OUTBOX_DLQ_URL'));
}

/**
 * The dispatcher's chat targets: `CHAT_SECRETS` maps `<team>/<target>` to the secret of each Slack
 * and Teams target, `CHAT_TOPICS` each Chatbot target to its topic, `ALARM_TOPIC_ARN` is where a
 * broken target is reported.
 */
export function chatFromEnv(): NonNullable<DispatchDeps['chat']> {
  const secrets = new SecretsManagerChatSecrets(
    traced(new SecretsManagerClient({})),
    recordEnv('CHAT_SECRETS'),
  );
  const http = new FetchHttpClient({ timeoutMs: 8000, maxBodyBytes: 64 * 1024 });
  const sns = traced(new SNSClient({}));
  return {
    posters: {
      slack: new SlackPoster({ http, secrets }),
      teams: new TeamsPoster({ http, secrets }),
      chatbot: new SnsChatbotPoster(sns, recordEnv('CHAT_TOPICS')),
    },
    log: new DynamoDeliveryLog(dynamo(), requireEnv('TABLE_NAME')),
    alerts: new SnsOperatorAlerts(sns, requireEnv('ALARM_TOPIC_ARN')),
  };
}

export function feedbackFromEnv(config: AutopilotConfig): DynamoFeedbackStore {
  return new DynamoFeedbackStore(dynamo(), {
    tableName: requireEnv('TABLE_NAME'),
    retentionDays: config.retention.commentTextDays,
  });
}

export function slackResponderFromEnv(): SlackResponder {
  return new SlackResponder({ http: new FetchHttpClient({ timeoutMs: 2000, maxBodyBytes: 64 * 1024 }) });
}

/** `SOURCE_SECRETS` maps each source this function reads to its Secrets Manager secret ARN. */
export function secretsFromEnv(): SecretsManagerStore {
  return new SecretsManagerStore(traced(new SecretsManagerClient({})), recordEnv('SOURCE_SECRETS'));
}

/** Comprehend of one region (a community's choice), for the classifier cascade. */
export function comprehendIn(region: string): ComprehendAdapter {
  return new ComprehendAdapter({
    client: traced(new ComprehendClient({ region, maxAttempts: 2 })),
    timeoutMs: 3000,
  });
}
