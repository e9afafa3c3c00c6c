import { Stack } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { TeamConfig } from '../../shared/config/schema.ts';
import { handSetSecret } from './hand-set-secret.ts';
import { pascalCase } from './names.ts';

export interface ChatTargetsProps {
  readonly teams: readonly TeamConfig[];
}

/**
 * What the teams' chat targets need in AWS: one Secrets Manager secret per distinct `secretName`
 * of the Slack and Teams targets (created with a random placeholder, retained: the operator puts
 * the webhook URL or token in it after deploy), and one SNS topic per Chatbot target, to which the
 * channel configured in Amazon Q Developer in chat applications subscribes. Functions get ARNs only.
 */
export class ChatTargets extends Construct {
  /** `<team>/<target>` → secret */
  readonly secrets: ReadonlyMap<string, Secret>;
  /** `<team>/<target>` → topic */
  readonly topics: ReadonlyMap<string, Topic>;

  constructor(scope: Construct, id: string, props: ChatTargetsProps) {
    super(scope, id);
    const byName = new Map<string, Secret>();
    const secrets = new Map<string, Secret>();
    const topics = new Map<string, Topic>();
    let awsManagedKey: ReturnType<typeof Alias.fromAliasName> | undefined;
    for (const team of props.teams) {
      for (const target of team.chat) {
        const key = `${team.id}/${target.id}`;
        const name = pascalCase(`${team.id}-${target.id}`);
        if (target.type === 'chatbot') {
          awsManagedKey ??= Alias.fromAliasName(this, 'AwsManagedSnsKey', 'alias/aws/sns');
          topics.set(
            key,
            new Topic(this, `${name}Topic`, {
              displayName: `${team.name} (chat)`.slice(0, 100),
              enforceSSL: true,
              masterKey: awsManagedKey,
            }),
          );
          continue;
        }
        let secret = byName.get(target.secretName);
        if (!secret) {
          secret = handSetSecret(this, `${name}Secret`, {
            secretName: target.secretName,
            description: `${target.type === 'slack' ? 'Slack webhook URL or bot token' : 'Teams Workflows webhook URL'} of the community-autopilot chat target ${key}`,
            passwordLength: 32,
            whyNotRotated:
              'The value is a webhook URL or bot token issued by Slack or Microsoft Teams; only the platform can issue a new one, which a rotation Lambda cannot do; replace it by hand with put-secret-value.',
          });
          byName.set(target.secretName, secret);
        }
        secrets.set(key, secret);
      }
    }
    this.secrets = secrets;
    this.topics = topics;
  }

  /** `{ "<team>/<target>": secretArn }` for the CHAT_SECRETS environment variable. */
  secretArnsJson(): string {
    return Stack.of(this).toJsonString(
      Object.fromEntries([...this.secrets].map(([k, s]) => [k, s.secretArn])),
    );
  }

  /** `{ "<team>/<target>": topicArn }` for the CHAT_TOPICS environment variable. */
  topicArnsJson(): string {
    return Stack.of(this).toJsonString(Object.fromEntries([...this.topics].map(([k, t]) => [k, t.topicArn])));
  }

  /** Read on the chat secrets and publish on the chat topics: the dispatcher's needs, nothing else. */
  grantDeliver(grantee: IGrantable): void {
    for (const secret of new Set(this.secrets.values())) secret.grantRead(grantee);
    for (const topic of this.topics.values()) topic.grantPublish(grantee);
  }

  /** The kinds of target configured (for the per-target alarms). */
  kinds(teams: readonly TeamConfig[]): string[] {
    return [...new Set(teams.flatMap((t) => t.chat.map((c) => c.type)))].sort();
  }
}
