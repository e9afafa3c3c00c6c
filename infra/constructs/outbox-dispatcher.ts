import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import { ServiceFunction } from './service-function.ts';
import type { TeamTopics } from './team-topics.ts';

export interface OutboxDispatcherProps {
  readonly config: AutopilotConfig;
  /** The table whose stream (new and old images) carries the outbox entries. */
  readonly table: ITable;
  readonly topics: TeamTopics;
}

/** Stream batches are retried this many times (bisected on each failure) before going to the dead letters. */
export const OUTBOX_RETRY_ATTEMPTS = 10;

/**
 * The one delivery path for every side effect: the dispatch-outbox function on the table's
 * change stream (in order per item, retried from the first change not delivered, bisected,
 * then sent to one dead-letter queue), allowed to publish to the team topics and nothing else.
 */
export class OutboxDispatcher extends Construct {
  readonly function: ServiceFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: OutboxDispatcherProps) {
    super(scope, id);
    const { config, table, topics } = props;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter destination itself (of the outbox stream mapping and of entries that cannot be rendered); it is alarmed, kept 14 days and replayed by hand.',
    });

    this.function = new ServiceFunction(this, 'DispatchOutbox', {
      name: 'dispatch-outbox',
      description: 'Delivers the outbox entries each write adds (team notifications) from the table stream',
      config,
      timeout: Duration.seconds(60),
      environment: {
        TABLE_NAME: table.tableName,
        TEAM_TOPICS: topics.arnsJson(),
        OUTBOX_DLQ_URL: this.deadLetterQueue.queueUrl,
      },
    });
    topics.grantPublish(this.function.function);
    this.deadLetterQueue.grantSendMessages(this.function.function);
    // Reads the comment an escalation is about; writes its own DISPATCH# attempt records only.
    table.grantReadData(this.function.function);
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DISPATCH#*'] } },
      }),
    );

    this.function.function.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: OUTBOX_RETRY_ATTEMPTS,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetterQueue),
        // Only writes can add outbox entries; expiries (TTL) and deletions never do.
        filters: [FilterCriteria.filter({ eventName: FilterRule.or('INSERT', 'MODIFY') })],
      }),
    );
  }
}
