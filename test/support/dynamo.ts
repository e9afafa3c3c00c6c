import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable, localClient } from '../../infra/local/dynamodb-local.ts';
import { dynamoStores } from '../../shared/adapters/dynamodb-stores.ts';

/**
 * A fresh table on the run's DynamoDB Local, so test files never see each other's data, with the
 * store of every port on it (`store`: the comment store).
 */
export async function freshStore(options: { retentionDays?: number } = {}) {
  const client = localClient(inject('dynamoEndpoint'));
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  const stores = dynamoStores(client, { tableName, retentionDays: options.retentionDays ?? 90 });
  return { client, tableName, store: stores.comments, ...stores };
}
