import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedbackStore } from '../core/slack-interactions.ts';
import { DependencyError } from '../domain/errors.ts';
import type { ChatActor } from '../domain/threads.ts';

/**
 * Classifier feedback given from chat: `FEEDBACK#<community>#<comment id>`, one item per label,
 * written once (a replayed click finds it). Kept as long as the comments (`retentionDays`), so
 * the evaluation can join it with the comment's text while that is kept.
 */
export class DynamoFeedbackStore implements FeedbackStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly options: { tableName: string; retentionDays: number },
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async recordFeedback(
    community: string,
    feedback: { commentId: string; label: 'not-toxic-not-spam'; by: ChatActor; at: string },
  ): Promise<'recorded' | 'known'> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            pk: `FEEDBACK#${community}#${feedback.commentId}`,
            sk: `LABEL#${feedback.label}`,
            kind: 'feedback',
            community,
            ...feedback,
            expiresAt: Math.floor(Date.parse(feedback.at) / 1000) + this.options.retentionDays * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'recorded';
    } catch (error) {
      if ((error as Error)?.name === 'ConditionalCheckFailedException') return 'known';
      throw new DependencyError('DynamoDB request failed', { cause: error });
    }
  }
}
