import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryLog } from '../core/ports.ts';
import { DependencyError } from '../domain/errors.ts';

/**
 * Delivery records beside the outbox, in the service table: `DELIVERY#<notification id>` holds
 * one item per target done (`TARGET#<target>`: sent or dead), read with one query per
 * notification; `CHATTARGET#<target>` says a target is broken, kept a day, so a broken target
 * raises at most one alert a day however many notifications find it broken.
 */
const DELIVERY_KEEP_SECONDS = 15 * 86_400; // longer than the stream (1 day) and its dead letters (14 days)
const BROKEN_KEEP_SECONDS = 86_400;

export class DynamoDeliveryLog implements DeliveryLog {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async done(notificationId: string): Promise<Map<string, 'sent' | 'dead'>> {
    const found = new Map<string, 'sent' | 'dead'>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call(() =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `DELIVERY#${notificationId}` },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        found.set(String(item.sk).slice('TARGET#'.length), item.state === 'dead' ? 'dead' : 'sent');
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async record(notificationId: string, target: string, state: 'sent' | 'dead', now: Date, reason?: string) {
    await this.call(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `DELIVERY#${notificationId}`,
            sk: `TARGET#${target}`,
            kind: 'delivery',
            state,
            reason,
            at: now.toISOString(),
            expiresAt: epoch(now) + DELIVERY_KEEP_SECONDS,
          },
        }),
      ),
    );
  }

  async markBroken(target: string, reason: string, now: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `CHATTARGET#${target}`,
            sk: 'BROKEN',
            kind: 'chat-target',
            reason,
            since: now.toISOString(),
            expiresAt: epoch(now) + BROKEN_KEEP_SECONDS,
          },
          // A record past its time counts as absent even before TTL has removed it.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': epoch(now) },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error)?.name === 'ConditionalCheckFailedException') return false;
      throw new DependencyError('DynamoDB request failed', { cause: error });
    }
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (cause) {
      throw new DependencyError('DynamoDB request failed', { cause });
    }
  }
}

function epoch(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
