import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CommentQueue } from '../core/ports.ts';
import type { CommentEvent } from '../domain/comment.ts';
import { DependencyError } from '../domain/errors.ts';

const BATCH = 10; // SQS SendMessageBatch limit
const ATTEMPTS = 3;

/**
 * JSON with every non-ASCII character escaped: SQS refuses some code points (lone surrogates, which
 * broken clients do send, and emulators refuse even emoji), and an escaped body always goes through.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** One SQS message per comment event, so a poison comment never holds its neighbours back. */
export class SqsCommentQueue implements CommentQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(events: readonly CommentEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      await this.sendBatch(events.slice(i, i + BATCH));
    }
  }

  private async sendBatch(events: CommentEvent[]): Promise<void> {
    let entries = events.map((event, i) => ({
      Id: String(i),
      MessageBody: asciiJson(event),
      MessageAttributes: {
        community: { DataType: 'String', StringValue: event.comment.community },
        source: { DataType: 'String', StringValue: event.comment.source },
      },
    }));
    let reasons: string[] = [];
    for (let attempt = 0; attempt < ATTEMPTS && entries.length > 0; attempt++) {
      try {
        const result = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = new Set((result.Failed ?? []).map((f) => f.Id));
        reasons = (result.Failed ?? []).map((f) => `${f.Code}: ${f.Message}`);
        entries = entries.filter((e) => failed.has(e.Id));
      } catch (cause) {
        if (attempt === ATTEMPTS - 1) throw new DependencyError('enqueueing comments failed', { cause });
      }
    }
    // The platform gets a 503 and retries the delivery; the dedupe keys make that retry harmless.
    if (entries.length > 0) {
      throw new DependencyError(
        `${entries.length} comments could not be enqueued (${[...new Set(reasons)].join('; ')})`,
      );
    }
  }
}
