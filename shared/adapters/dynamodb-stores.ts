import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCommentStore } from './dynamodb-comment-store.ts';
import { DynamoKpiStore } from './dynamodb-kpi-store.ts';
import { DynamoMemberStore } from './dynamodb-member-store.ts';
import { DynamoOnceStore } from './dynamodb-once-store.ts';
import { DynamoOpenItemStore } from './dynamodb-open-item-store.ts';
import type { DynamoStoreOptions } from './dynamodb-table.ts';

/** The store of every port the service table serves, over one client: for the compositions. */
export interface DynamoStores {
  comments: DynamoCommentStore;
  kpis: DynamoKpiStore;
  members: DynamoMemberStore;
  items: DynamoOpenItemStore;
  once: DynamoOnceStore;
}

export function dynamoStores(client: DynamoDBClient, options: DynamoStoreOptions): DynamoStores {
  return {
    comments: new DynamoCommentStore(client, options),
    kpis: new DynamoKpiStore(client, options),
    members: new DynamoMemberStore(client, options),
    items: new DynamoOpenItemStore(client, options),
    once: new DynamoOnceStore(client, options),
  };
}
