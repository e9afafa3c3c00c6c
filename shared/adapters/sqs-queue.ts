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

/** SendMessageBatch takes at most 10 messages and 256 KiB in all; one message at most 256 KiB. */
const MAX_BATCH_BYTES = 250 * 1024;
const MAX_MESSAGE_BYTES = 240 * 1024;

/**
 * A comment too long for one SQS message (a 65,000-character GitHub comment of emoji) is cut, and
 * says so, rather than refused: refusing would fail the whole delivery on every retry.
 */
export function fitForQueue(event: CommentEvent): { event: CommentEvent; body: string } {
  let body = sqsSafeJson(event);
  let text = event.comment.text;
  let fitted = event;
  while (Buffer.byteLength(body) > MAX_MESSAGE_BYTES && text.length > 0) {
    const points = Array.from(text); // whole code points: never half an emoji
    text = points.slice(0, Math.floor(points.length * 0.8)).join('');
    fitted = { ...event, comment: { ...event.comment, text: `${text}… [cut: too long to queue]` } };
    body = sqsSafeJson(fitted);
  }
  return { event: fitted, body };
}

/** One SQS message per comment event, so a poison comment never holds its neighbours back. */
export class SqsCommentQueue implements CommentQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(events: readonly CommentEvent[]): Promise<void> {
    const batches: { event: CommentEvent; body: string }[][] = [];
    let batch: { event: CommentEvent; body: string }[] = [];
    let bytes = 0;
    for (const event of events) {
      const message = fitForQueue(event);
      const size = Buffer.byteLength(message.body);
      if (batch.length === BATCH || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(message);
      bytes += size;
    }
    if (batch.length) batches.push(batch);
    // Every batch is tried even if one fails; the failure is reported once at the end (the platform
    // then retries the delivery, and the dedupe keys make the repeat harmless).
    const errors: unknown[] = [];
    for (const b of batches) await this.sendBatch(b).catch((error: unknown) => errors.push(error));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1)
      throw new DependencyError(`${errors.length} batches could not be enqueued`, { cause: errors[0] });
  }

  private async sendBatch(messages: { event: CommentEvent; body: string }[]): Promise<void> {
    let entries = messages.map(({ event, body }, i) => ({
      Id: String(i),
      MessageBody: body,
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
