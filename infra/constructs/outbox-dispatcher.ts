import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import type { ChatTargets } from './chat-targets.ts';
import { ServiceFunction } from './service-function.ts';
import type { TeamTopics } from './team-topics.ts';

export interface OutboxDispatcherProps {
  readonly config: AutopilotConfig;
  /** The table whose stream (new and old images) carries the outbox entries. */
  readonly table: ITable;
  readonly topics: TeamTopics;
  /** The teams' Slack, Teams and Chatbot targets: their secrets and chat topics. */
  readonly chat: ChatTargets;
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
    const { config, table, topics, chat } = props;

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
        CHAT_SECRETS: chat.secretArnsJson(),
        CHAT_TOPICS: chat.topicArnsJson(),
      },
    });
    topics.grantPublish(this.function.function);
    chat.grantDeliver(this.function.function);
    this.deadLetterQueue.grantSendMessages(this.function.function);
    // Reads the comment an escalation is about; writes only its own records: DISPATCH# attempts,
    // DELIVERY# per (notification, target) and CHATTARGET# broken targets.
    table.grantReadData(this.function.function);
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DISPATCH#*', 'DELIVERY#*', 'CHATTARGET#*'] },
        },
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

  /** Where a chat target found broken is reported (once a day per target): the alarm topic. */
  reportTo(alarms: { topic: ITopic; key: IKey }): void {
    this.function.function.addEnvironment('ALARM_TOPIC_ARN', alarms.topic.topicArn);
    // Exact actions rather than the topic's grant, which gives kms:GenerateDataKey* on the key.
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [alarms.topic.topicArn] }),
    );
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [alarms.key.keyArn],
      }),
    );
  }
}
