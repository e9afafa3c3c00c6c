import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OpsAlarmsProps {
  /** E-mail addresses told when an alarm fires. */
  readonly emails: readonly string[];
}

/**
 * Alarms on what needs a human: messages in the dead-letter queue, function errors and throttles.
 * They notify a dedicated operations topic rather than a team topic, because team topics carry
 * the versioned comment-notification contract that HTTPS/SQS subscribers parse.
 */
export class OpsAlarms extends Construct {
  readonly topic: Topic;
  /** The CMK the alarm topic is encrypted with (a publisher needs GenerateDataKey and Decrypt on it). */
  readonly key: Key;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // CloudWatch cannot use the AWS managed SNS key, so an encrypted alarm topic needs a CMK
    // whose policy lets CloudWatch encrypt the messages it publishes.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the community-autopilot alarm topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      // The key protects transient alarm messages only; nothing stored depends on it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.key = key;
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'community-autopilot alarms',
      enforceSSL: true,
      masterKey: key,
    });
    // enforceSSL adds a topic policy, which replaces SNS's default owner policy: allow CloudWatch
    // alarms of this account explicitly.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    for (const email of new Set(props.emails)) this.topic.addSubscription(new EmailSubscription(email));
    this.action = new SnsAction(this.topic);
  }

  watchDeadLetterQueue(
    id: string,
    queue: IQueue,
    description = 'Comments failed processing 5 times and wait in the dead-letter queue: inspect, fix, redrive.',
  ): void {
    this.add(
      id,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      { description },
    );
  }

  watchFunction(id: string, fn: IFunction, name: string): void {
    this.add(`${id}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
      description: `The ${name} function raised errors in the last 5 minutes.`,
    });
    this.add(`${id}Throttles`, fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), {
      description: `The ${name} function was throttled in the last 5 minutes (account concurrency exhausted?).`,
    });
  }

  /** An alarm when the metric (a count summed over its period) is above zero. */
  watchCount(id: string, metric: IMetric, description: string): void {
    this.add(id, metric, { description });
  }

  private add(id: string, metric: IMetric, options: { description: string }): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
