import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { makeHandler } from '../../functions/dispatch-outbox/make-handler.ts';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { MemoryCheckpoints, TableStream } from '../../infra/local/table-stream.ts';
import type { DynamoCommentStore } from '../../shared/adapters/dynamodb-comment-store.ts';
import { DynamoDispatchProgress } from '../../shared/adapters/dynamodb-dispatch-progress.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import type { DispatchDeps } from '../../shared/core/dispatch-outbox.ts';
import type { DeadLetters, Notifier, OutboxChange } from '../../shared/core/ports.ts';
import { RecordingNotifier } from './builders.ts';

export class RecordingDeadLetters implements DeadLetters {
  readonly letters: { change: OutboxChange | { sequence: string; raw: unknown }; reason: string }[] = [];
  async send(change: OutboxChange | { sequence: string; raw: unknown }, reason: string) {
    this.letters.push({ change, reason });
  }
}

/**
 * The outbox as it runs: the dispatch-outbox handler fed by the table's DynamoDB Local stream,
 * delivering to a recording notifier. `drain()` delivers everything written so far.
 */
export function outboxOf(
  setup: { client: DynamoDBClient; tableName: string; store: DynamoCommentStore },
  config: AutopilotConfig,
  notifier: Notifier = new RecordingNotifier(),
  extra: Partial<DispatchDeps> = {},
) {
  const deadLetters = new RecordingDeadLetters();
  const handler = makeHandler({
    config,
    notifier,
    comments: setup.store,
    progress: new DynamoDispatchProgress(setup.client, setup.tableName),
    deadLetters,
    sleep: async () => {},
    ...extra,
  });
  const stream = new TableStream({
    dynamo: setup.client,
    endpoint: inject('dynamoEndpoint'),
    tableName: setup.tableName,
    checkpoints: new MemoryCheckpoints(),
    maxAttempts: 3,
  });
  const dispatch = (event: Parameters<typeof handler>[0]) => handler(event, lambdaContext('dispatch-outbox'));
  return {
    notifier,
    deadLetters,
    stream,
    /** One pass over the stream: everything written since the last pass. */
    drain: () => stream.poll(dispatch),
  };
}
