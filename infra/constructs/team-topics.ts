import { Stack } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { type ITopicSubscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SqsSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Subscription, TeamConfig } from '../../shared/config/schema.ts';
import { pascalCase } from './names.ts';

export interface TeamTopicsProps {
  readonly teams: readonly TeamConfig[];
}

/**
 * One SNS topic per configured team, with the team's e-mail, HTTPS and SQS subscribers.
 * Encrypted with the AWS managed SNS key: only Lambda functions of this account publish here,
 * so no key policy has to be maintained (alarms go to a separate, CMK-encrypted topic).
 */
export class TeamTopics extends Construct {
  readonly topics: ReadonlyMap<string, Topic>;

  constructor(scope: Construct, id: string, props: TeamTopicsProps) {
    super(scope, id);
    const awsManagedKey = Alias.fromAliasName(this, 'AwsManagedSnsKey', 'alias/aws/sns');
    const topics = new Map<string, Topic>();
    for (const team of props.teams) {
      const name = pascalCase(team.id);
      const topic = new Topic(this, name, {
        displayName: team.name.slice(0, 100),
        enforceSSL: true,
        masterKey: awsManagedKey,
      });
      team.subscriptions.forEach((subscription, index) => {
        topic.addSubscription(this.subscriber(`${name}Subscriber${index}`, subscription));
      });
      topics.set(team.id, topic);
    }
    this.topics = topics;
  }

  /** `{ teamId: topicArn }` as a JSON string, for the TEAM_TOPICS environment variable. */
  arnsJson(): string {
    return Stack.of(this).toJsonString(
      Object.fromEntries([...this.topics].map(([team, t]) => [team, t.topicArn])),
    );
  }

  grantPublish(grantee: IGrantable): void {
    for (const topic of this.topics.values()) topic.grantPublish(grantee);
  }

  private subscriber(id: string, subscription: Subscription): ITopicSubscription {
    switch (subscription.protocol) {
      case 'email':
        return new EmailSubscription(subscription.endpoint);
      case 'https':
        return new UrlSubscription(subscription.endpoint, { protocol: SubscriptionProtocol.HTTPS });
      case 'sqs':
        // The queue belongs to the team, not to this stack: its owner must allow this topic
        // to send to it (queue policy, and the queue key if it is KMS-encrypted).
        return new SqsSubscription(Queue.fromQueueArn(this, id, subscription.endpoint));
    }
  }
}
