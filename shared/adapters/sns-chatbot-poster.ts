import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChatPost, ChatPoster, ChatPostOutcome } from '../core/ports.ts';
import { ConfigError } from '../domain/errors.ts';

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'KMSThrottlingException',
]);
const GONE = new Set([
  'NotFound',
  'NotFoundException',
  'AuthorizationError',
  'AuthorizationErrorException',
  'KMSDisabled',
  'KMSDisabledException',
]);

/**
 * Amazon Q Developer in chat applications (AWS Chatbot): the custom notification is published,
 * as it is, on the team's chat topic, which the channel configured in the AWS console subscribes
 * to. A topic of its own, apart from the team topic, because its HTTPS and e-mail subscribers
 * would otherwise receive this JSON instead of the contract.
 */
export class SnsChatbotPoster implements ChatPoster {
  constructor(
    private readonly client: SNSClient,
    /** `{ "<team>/<target id>": topicArn }` */
    private readonly topicArns: Readonly<Record<string, string>>,
  ) {}

  async post(post: ChatPost): Promise<ChatPostOutcome> {
    const arn = this.topicArns[`${post.team}/${post.target.id}`];
    if (!arn) throw new ConfigError(`no chat topic is configured for ${post.team}/${post.target.id}`);
    try {
      await this.client.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify(post.payload) }));
      return { kind: 'sent' };
    } catch (error) {
      const name = (error as Error)?.name ?? '';
      if (GONE.has(name)) return { kind: 'gone', reason: `SNS answered ${name}` };
      if (THROTTLING.has(name)) return { kind: 'retry', reason: `SNS answered ${name}` };
      if (name === 'InvalidParameter' || name === 'InvalidParameterException') {
        return { kind: 'rejected', reason: `SNS answered ${name}` };
      }
      return { kind: 'retry', reason: `SNS publish failed: ${(error as Error)?.message ?? name}` };
    }
  }
}
