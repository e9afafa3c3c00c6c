import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/** The attribute DynamoDB's TTL reads (epoch seconds): raw comment text expires, KPI counters do not. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Stateful resources only: the single table that holds comments, dedupe markers and KPI
 * counters. It changes rarely, so the service stack can be destroyed, renamed or redeployed
 * with a different configuration without ever putting the data at risk.
 */
export class DataStack extends Stack {
  readonly table: Table;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // A classic AWS::DynamoDB::Table (not TableV2's GlobalTable): one region, and cdk-nag's
    // point-in-time-recovery rule inspects this resource type.
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      // The outbox: every write that owes a side effect carries it, and the dispatcher reads it
      // here, old and new image side by side to tell what the write added.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });

    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'DynamoDB table with comments and KPI counters',
    });
  }
}
