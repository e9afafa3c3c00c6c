import { createHash } from 'node:crypto';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import type { LocalQueue, ReceivedMessage } from './durable-queue.ts';
import { lambdaContext } from './lambda-context.ts';
import type { TableStream } from './table-stream.ts';

/**
 * What the local runtime runs besides its HTTP server: each consumer feeds one function from one
 * source, as a Lambda event source mapping does. The stack keeps a list of them; `idle()` is every
 * backlog at zero.
 */
export interface Consumer {
  readonly name: string;
  /** Messages not finished yet: waiting, in hand, or waiting out a failed attempt. */
  backlog(): Promise<number>;
  /** Stops receiving and waits for what is in hand. */
  stop(): Promise<void>;
}

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface QueueConsumerOptions {
  /** The function's name, for its Lambda context and messages. */
  name: string;
  queue: LocalQueue;
  handler: SqsHandler;
  /** Records per invocation (the event source mapping's batchSize). @default 10 */
  batchSize?: number;
  /** Invocations at once (Lambda's SQS poller runs several). @default 4 */
  concurrency?: number;
  /** The function's timeout, for its context. @default 60 s */
  timeoutMs?: number;
  region?: string;
  print?: (line: string) => void;
}

/**
 * Lambda's SQS event source mapping in miniature: receive up to a batch, invoke with an SQS event,
 * delete the records that succeeded (partial batch responses honoured); failed records stay leased
 * and come back when their visibility timeout runs out, and go to the DLQ after the last receive.
 */
export function startQueueConsumer(options: QueueConsumerOptions): Consumer {
  const { name, queue, handler } = options;
  const print = options.print ?? (() => {});
  const region = options.region ?? 'eu-west-1';
  const stopping = new AbortController();
  let inHand = 0;

  const invoke = async (messages: ReceivedMessage[]) => {
    const records = messages.map((m) => toSqsRecord(m, queue.arn, region));
    let failed: Set<string>;
    try {
      const response = await handler({ Records: records }, lambdaContext(name, options.timeoutMs ?? 60_000));
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      print(`${name} failed: ${(error as Error).message}`);
      failed = new Set(records.map((r) => r.messageId));
    }
    const done = messages.filter((m) => !failed.has(m.id)).map((m) => m.receipt);
    if (done.length) await queue.delete(done);
  };

  const loop = async () => {
    while (!stopping.signal.aborted) {
      try {
        const messages = await queue.receive(options.batchSize ?? 10);
        if (!messages.length) {
          await queue.waitForMessages(1000, stopping.signal);
          continue;
        }
        inHand += 1;
        try {
          await invoke(messages);
        } finally {
          inHand -= 1;
        }
      } catch (error) {
        if (stopping.signal.aborted) return;
        print(`${name}: local queue error, retrying: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 4 }, loop);

  return {
    name,
    async backlog() {
      const depth = await queue.depth();
      return depth.visible + depth.leased + inHand;
    },
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}

/** The record Lambda would hand the function, with every field the Powertools SQS schema requires. */
export function toSqsRecord(message: ReceivedMessage, queueArn: string, region: string): SQSRecord {
  return {
    messageId: message.id,
    receiptHandle: message.receipt,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.attributes).map(([k, v]) => [
        k,
        { stringValue: v, dataType: 'String', stringListValues: [], binaryListValues: [] },
      ]),
    ),
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export type StreamHandlerFn = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse | undefined>;

/**
 * Lambda's DynamoDB stream event source mapping in miniature, on the table's DynamoDB Local stream
 * (table-stream.ts): one pass at a time, in order, retried from the first record the handler
 * reports as failed. The backlog is what one pass finds to deliver, so `idle()` sees it drained.
 */
export function startStreamConsumer(options: {
  name: string;
  stream: TableStream;
  handler: StreamHandlerFn;
  timeoutMs?: number;
  /** Pause between passes that found nothing. @default 200 ms */
  pollIntervalMs?: number;
  print?: (line: string) => void;
}): Consumer {
  const { name, stream, handler } = options;
  const print = options.print ?? (() => {});
  const stopping = new AbortController();
  let pass: Promise<number> = Promise.resolve(0);
  const runPass = () => {
    pass = pass
      .catch(() => 0)
      .then(() => stream.poll((event) => handler(event, lambdaContext(name, options.timeoutMs ?? 60_000))));
    return pass;
  };
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const handled = await runPass().catch((error) => {
        if (!stopping.signal.aborted)
          print(`${name}: stream read failed, retrying: ${(error as Error).message}`);
        return 0;
      });
      if (handled === 0) await abortableSleep(options.pollIntervalMs ?? 200, stopping.signal);
    }
  })();
  return {
    name,
    backlog: () => runPass().catch(() => 1),
    async stop() {
      stopping.abort();
      await loop;
      await pass.catch(() => 0);
    },
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
