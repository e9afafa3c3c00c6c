import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CommentQueue } from '../core/ports.ts';
import type { CommentEvent } from '../domain/comment.ts';
import { DependencyError } from '../domain/errors.ts';

const BATCH = 10; // SQS SendMessageBatch limit
const ATTEMPTS = 3;

/**
 * JSON that SQS always accepts: it refuses lone surrogates (which broken clients do send) and the
 * local emulator refuses even emoji, so every UTF-16 surrogate and U+FFFE/U+FFFF is escaped. Other
 * text stays as it is (an escaped accent would take six bytes instead of two).
 */
export function sqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\ud800-\udfff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );
}

/** SendMessageBatch takes at most 10 messages and 256 KiB in all. */
const MAX_BATCH_BYTES = 250 * 1024;

/** One SQS message per comment event, so a poison comment never holds its neighbours back. */
export class SqsCommentQueue implements CommentQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(events: readonly CommentEvent[]): Promise<void> {
    let batch: CommentEvent[] = [];
    let bytes = 0;
    for (const event of events) {
      const size = Buffer.byteLength(sqsSafeJson(event));
      if (batch.length === BATCH || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
        await this.sendBatch(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(event);
      bytes += size;
    }
    if (batch.length) await this.sendBatch(batch);
  }

  private async sendBatch(events: CommentEvent[]): Promise<void> {
    let entries = events.map((event, i) => ({
      Id: String(i),
      MessageBody: sqsSafeJson(event),
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
