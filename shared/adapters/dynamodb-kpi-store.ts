import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KpiStore } from '../core/ports.ts';
import { addCounters, type Counters } from '../domain/kpi.ts';
import { countersOf, type DynamoStoreOptions, DynamoTable, type Item, SHARDS } from './dynamodb-table.ts';

/**
 * The KpiStore on the service table: daily counters from the KPI#<c>#<shard> items, member
 * activity from the committed batch records (BATCH#<c>#<shard>, one per batch and day), every
 * shard queried and added up (dynamodb-table.ts).
 */
export class DynamoKpiStore implements KpiStore {
  private readonly table: DynamoTable;

  constructor(client: DynamoDBClient, options: DynamoStoreOptions) {
    this.table = new DynamoTable(client, options);
  }

  async readDays(community: string, from: string, to: string): Promise<Map<string, Counters>> {
    const days = new Map<string, Counters>();
    for (const item of await this.shardRange(`KPI#${community}`, `DAY#${from}`, `DAY#${to}`)) {
      const day = String(item.sk).slice('DAY#'.length);
      days.set(day, addCounters(days.get(day) ?? {}, countersOf(item)));
    }
    return sortedByDay(days);
  }

  /** Member activity per day: `n:<member>`, `h:<member>`, `f:<member>`, `x:<member>` counts. */
  async readMemberDays(community: string, from: string, to: string): Promise<Map<string, Counters>> {
    const days = new Map<string, Counters>();
    for (const item of await this.shardRange(`BATCH#${community}`, `DAY#${from}`, `DAY#${to}#~`)) {
      if (item.status !== 'committed') continue;
      const day = String(item.sk).slice('DAY#'.length, 'DAY#'.length + 10);
      days.set(day, addCounters(days.get(day) ?? {}, (item.activity ?? {}) as Counters));
    }
    return sortedByDay(days);
  }

  /** Every item of `<prefix>#<shard>` with a sort key from `from` to `to`, over all shards. */
  private async shardRange(prefix: string, from: string, to: string): Promise<Item[]> {
    const shards = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        this.table.queryAll({
          TableName: this.table.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `${prefix}#${shard}`, ':from': from, ':to': to },
        }),
      ),
    );
    return shards.flat();
  }
}

function sortedByDay(days: Map<string, Counters>): Map<string, Counters> {
  return new Map([...days].sort(([a], [b]) => a.localeCompare(b)));
}
