import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MemberStore } from '../core/ports.ts';
import type { Member } from '../domain/members.ts';
import { type DynamoStoreOptions, DynamoTable, key, memberFromItem } from './dynamodb-table.ts';

/** The MemberStore on the service table: member records by key, as committed (dynamodb-table.ts). */
export class DynamoMemberStore implements MemberStore {
  private readonly table: DynamoTable;

  constructor(client: DynamoDBClient, options: DynamoStoreOptions) {
    this.table = new DynamoTable(client, options);
  }

  async members(community: string, memberKeys: readonly string[]): Promise<Member[]> {
    const items = await this.table.batchGet(memberKeys.map((k) => key.member(community, k)));
    return (await this.table.visible(community, items)).map(memberFromItem);
  }
}
