import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OperatorAlerts } from '../core/ports.ts';
import { DependencyError } from '../domain/errors.ts';

/** Operator alerts on the alarm topic (its e-mail subscribers are the people who run the deployment). */
export class SnsOperatorAlerts implements OperatorAlerts {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async alert(subject: string, text: string): Promise<void> {
    try {
      await this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          // SNS: one line, under 100 characters.
          Subject: subject.replace(/\s+/g, ' ').slice(0, 99),
          Message: text,
        }),
      );
    } catch (cause) {
      throw new DependencyError('publishing an operator alert failed', { cause });
    }
  }
}
