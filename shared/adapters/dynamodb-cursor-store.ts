import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CursorStore, FeedCursor } from '../core/ports.ts';
import { ConflictError, DependencyError, ValidationError } from '../domain/errors.ts';

/**
 * A save that would move a cursor back behind what another (overlapping) run already recorded.
 * The run that gets it should stop: the other one covers the same ground and is further along.
 */
export class CursorMovedOnError extends ConflictError {
  override name = 'CursorMovedOnError';
  constructor(readonly key: string) {
    super(`another run moved the cursor of ${key} further; this run's position is stale`);
  }
}

export interface DynamoCursorStoreOptions {
  tableName: string;
  now?: () => Date;
}

const key = (feedKey: string) => ({ pk: `CURSOR#${feedKey}`, sk: 'CURSOR' });

/**
 * Poller cursors in the service's table (`pk = CURSOR#<source id>#<feed>`, `sk = CURSOR`), kept
 * without TTL: losing one would re-read a whole backfill window.
 *
 * Every save is conditional on never lowering `since` (compared as epoch milliseconds, so the
 * ISO spelling does not matter). Two overlapping runs (a slow run still walking when the next
 * schedule fires) therefore cannot move the cursor backwards; the stale one gets
 * CursorMovedOnError. Saves with an equal `since` are accepted: page tokens have no order, and
 * the worst an older token can do is make the next run read a page again, which the dedupe keys
 * absorb. A complete walk only ever raises `since` to the newest time it saw, so no gap either.
 */
export class DynamoCursorStore implements CursorStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly options: DynamoCursorStoreOptions,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async load(feedKey: string): Promise<FeedCursor | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      const result = await this.doc.send(
        new GetCommand({ TableName: this.options.tableName, Key: key(feedKey), ConsistentRead: true }),
      );
      item = result.Item;
    } catch (cause) {
      throw new DependencyError(`reading the cursor of ${feedKey} failed`, { cause });
    }
    if (!item || typeof item.since !== 'string') return undefined;
    const walk = item.walk as { pageToken?: unknown; newest?: unknown } | undefined;
    return {
      since: item.since,
      ...(walk && typeof walk.pageToken === 'string' && typeof walk.newest === 'string'
        ? { walk: { pageToken: walk.pageToken, newest: walk.newest } }
        : {}),
    };
  }

  async save(feedKey: string, cursor: FeedCursor): Promise<void> {
    const sinceMs = Date.parse(cursor.since);
    if (!Number.isFinite(sinceMs))
      throw new ValidationError(`cursor of ${feedKey}: since "${cursor.since}" is not a date`);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...key(feedKey),
            since: cursor.since,
            sinceMs,
            ...(cursor.walk ? { walk: cursor.walk } : {}),
            updatedAt: (this.options.now ?? (() => new Date()))().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR sinceMs <= :sinceMs',
          ExpressionAttributeValues: { ':sinceMs': sinceMs },
        }),
      );
    } catch (error) {
      if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException')
        throw new CursorMovedOnError(feedKey);
      throw new DependencyError(`saving the cursor of ${feedKey} failed`, { cause: error });
    }
  }
}
