import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetters, OutboxChange } from '../core/ports.ts';
import { DependencyError } from '../domain/errors.ts';

/** SQS takes 256 KB per message; a change bigger than that keeps its reason and ids only. */
const MAX_BODY_BYTES = 250_000;

/**
 * The outbox's one dead-letter path: the queue the stream's event source mapping also sends
 * exhausted batches to (alarmed). A message says why, and carries the change to replay by hand.
 */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(change: OutboxChange | { sequence: string; raw: unknown }, reason: string): Promise<void> {
    let body = JSON.stringify({ reason, change });
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
      const ids = 'entries' in change ? change.entries.map((e) => e.id) : [];
      body = JSON.stringify({ reason, sequence: change.sequence, entries: ids, truncated: true });
    }
    try {
      await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
    } catch (cause) {
      throw new DependencyError('sending to the outbox dead-letter queue failed', { cause });
    }
  }
}
