import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier } from '../core/ports.ts';
import { ConfigError, DependencyError } from '../domain/errors.ts';
import type { Notification } from '../domain/notification.ts';

/**
 * Publishes to the team's topic with a per-protocol message: e-mail subscribers read plain text
 * (the contract JSON follows it), every other protocol gets the JSON contract alone.
 */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArns: Readonly<Record<string, string>>,
  ) {}

  async publish(notification: Notification): Promise<void> {
    const topicArn = this.topicArns[notification.team];
    if (!topicArn) throw new DependencyError(`no topic is configured for team "${notification.team}"`);
    const contract = JSON.stringify(notification.message);
    try {
      await this.client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: notification.subject,
          MessageStructure: 'json',
          Message: JSON.stringify({
            default: contract,
            email: `${notification.text}\n\n-- \n${contract}`,
          }),
          MessageAttributes: Object.fromEntries(
            Object.entries(notification.attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      );
    } catch (cause) {
      throw new DependencyError(`publishing to team "${notification.team}" failed`, { cause });
    }
  }
}

/** Reads `{"team": "arn:..."}` from an environment variable, failing at cold start with the variable's name. */
export function topicArnsFromEnv(name = 'TEAM_TOPICS'): Record<string, string> {
  const raw = process.env[name];
  if (!raw) throw new ConfigError(`environment variable ${name} is not set`);
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null)
    throw new ConfigError(`${name} must be a JSON object of team → topic ARN`);
  return parsed as Record<string, string>;
}
