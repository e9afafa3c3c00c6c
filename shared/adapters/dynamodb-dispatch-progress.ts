import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DispatchProgressStore } from '../core/ports.ts';
import { DependencyError } from '../domain/errors.ts';

/** A stream batch is retried within 24 hours (the stream's retention): its attempt record is kept a day more. */
const KEEP_SECONDS = 2 * 86_400;

/**
 * One small record per dispatched stream batch, keyed by the batch's first change: begun before
 * the first delivery, ended after the last. Two writes per batch (up to 100 changes), whatever
 * the number of notifications in it.
 */
export class DynamoDispatchProgress implements DispatchProgressStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async begin(batchKey: string, first: string, last: string, now: Date) {
    const key = progressKey(batchKey);
    try {
      const found = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      const previous = found.Item;
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            kind: 'dispatch',
            first,
            last,
            open: true,
            at: now.toISOString(),
            expiresAt: expiry(now),
          },
        }),
      );
      if (!previous?.open) return {};
      return {
        unfinished: {
          first: String(previous.first),
          last: String(previous.last),
          ...(previous.through ? { through: String(previous.through) } : {}),
        },
      };
    } catch (cause) {
      throw new DependencyError('DynamoDB request failed', { cause });
    }
  }

  async end(batchKey: string, through: string | undefined, now: Date): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...progressKey(batchKey),
            kind: 'dispatch',
            through,
            open: false,
            at: now.toISOString(),
            expiresAt: expiry(now),
          },
        }),
      );
    } catch (cause) {
      throw new DependencyError('DynamoDB request failed', { cause });
    }
  }
}

function progressKey(batchKey: string) {
  return { pk: `DISPATCH#${batchKey}`, sk: 'DISPATCH' };
}

function expiry(now: Date): number {
  return Math.floor(now.getTime() / 1000) + KEEP_SECONDS;
}
