import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OnceStore } from '../core/ports.ts';
import { DependencyError } from '../domain/errors.ts';
import type { OutboxEntry } from '../domain/outbox.ts';
import { type DynamoStoreOptions, DynamoTable, epoch, isConditionFailure, key } from './dynamodb-table.ts';

/**
 * The OnceStore on the service table: a once-only record (ONCE#<name>) is one conditional Put
 * holding its outbox entry, so the effect is owed exactly when the record is first written.
 */
export class DynamoOnceStore implements OnceStore {
  private readonly table: DynamoTable;

  constructor(client: DynamoDBClient, options: DynamoStoreOptions) {
    this.table = new DynamoTable(client, options);
  }

  async recordOnce(name: string, entry: OutboxEntry, expiresAt: Date): Promise<'recorded' | 'done'> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...key.once(name), kind: 'once', outbox: [entry], expiresAt: epoch(expiresAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionFailure(error)) return 'done';
      throw new DependencyError('DynamoDB request failed', { cause: error });
    }
  }
}
