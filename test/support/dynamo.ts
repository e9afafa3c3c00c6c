import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable, localClient } from '../../infra/local/dynamodb-local.ts';
import { DynamoCommentStore } from '../../shared/adapters/dynamodb-store.ts';

/** A fresh table on the run's DynamoDB Local, so test files never see each other's data. */
export async function freshStore(options: { retentionDays?: number } = {}) {
  const client = localClient(inject('dynamoEndpoint'));
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  const store = new DynamoCommentStore(client, { tableName, retentionDays: options.retentionDays ?? 90 });
  return { client, tableName, store };
}
