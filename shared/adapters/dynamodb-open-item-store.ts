import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OpenItemStore } from '../core/ports.ts';
import type { ThreadItem } from '../domain/threads.ts';
import { type DynamoStoreOptions, DynamoTable, entryFromItem, key, SHARDS } from './dynamodb-table.ts';

/**
 * The OpenItemStore on the service table: the open-items index (OPEN#<c>#<shard>, sorted by the
 * time of the next escalation), kept in step with the thread items by the comment store's commits,
 * and the thread items themselves (dynamodb-table.ts).
 */
export class DynamoOpenItemStore implements OpenItemStore {
  private readonly table: DynamoTable;

  constructor(client: DynamoDBClient, options: DynamoStoreOptions) {
    this.table = new DynamoTable(client, options);
  }

  /** Open items whose next escalation is due at or before `now`. */
  async dueItems(community: string, now: Date): Promise<ThreadItem[]> {
    return this.openMarkers(community, { upTo: now.toISOString() });
  }

  /** Every item still waiting for a brand reply, oldest first. */
  async openItems(community: string): Promise<ThreadItem[]> {
    const items = await this.openMarkers(community, {});
    return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async threadItem(community: string, threadId: string, commentId: string): Promise<ThreadItem | undefined> {
    const result = await this.table.call(() =>
      this.table.doc.send(
        new GetCommand({
          TableName: this.table.tableName,
          Key: key.entry(community, threadId, commentId),
          ConsistentRead: true,
        }),
      ),
    );
    const [item] = await this.table.visible(community, result.Item ? [result.Item] : []);
    const entry = item ? entryFromItem(item) : undefined;
    return entry?.kind === 'item' ? entry : undefined;
  }

  private async openMarkers(community: string, range: { upTo?: string }): Promise<ThreadItem[]> {
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        this.table.queryAll({
          TableName: this.table.tableName,
          KeyConditionExpression: range.upTo ? 'pk = :pk AND sk <= :upTo' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': `OPEN#${community}#${shard}`,
            ...(range.upTo ? { ':upTo': `${range.upTo}#~` } : {}),
          },
          ConsistentRead: true,
        }),
      ),
    );
    return (await this.table.visible(community, shards.flat())).map((i) => i.item as ThreadItem);
  }
}
