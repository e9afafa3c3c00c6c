import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * What Lambda's event source mapping does for a DynamoDB stream, on a laptop: read DynamoDB
 * Local's stream of a table shard by shard, hand the handler batches of Lambda-shaped records in
 * order, move the checkpoint past what it delivered, retry from the first record it reports as
 * failed, and after `maxAttempts` put that record in the dead letters and go on. The checkpoint
 * is kept by `Checkpoints` (a file in the data dir locally), so a restart resumes where it was.
 */
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface Checkpoints {
  get(shardId: string): string | undefined;
  set(shardId: string, sequence: string): void;
}

export class MemoryCheckpoints implements Checkpoints {
  private readonly positions = new Map<string, string>();
  get(shardId: string) {
    return this.positions.get(shardId);
  }
  set(shardId: string, sequence: string) {
    this.positions.set(shardId, sequence);
  }
}

/** Checkpoints in a JSON file, replaced atomically and fsynced: a SIGKILL leaves the old or the new one. */
export class FileCheckpoints implements Checkpoints {
  private readonly positions: Record<string, string>;

  constructor(private readonly path: string) {
    this.positions = existsSync(path)
      ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>)
      : {};
  }

  get(shardId: string) {
    return this.positions[shardId];
  }

  set(shardId: string, sequence: string) {
    this.positions[shardId] = sequence;
    const next = `${this.path}.next`;
    writeFileSync(next, JSON.stringify(this.positions));
    const fd = openSync(next, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(next, this.path);
  }
}

export interface TableStreamOptions {
  dynamo: DynamoDBClient;
  endpoint: string;
  tableName: string;
  checkpoints: Checkpoints;
  /** Where records that kept failing go: one JSON line each. */
  deadLetterFile?: string;
  batchSize?: number;
  maxAttempts?: number;
}

export class TableStream {
  private readonly streams: DynamoDBStreamsClient;
  private readonly failures = new Map<string, number>();
  private streamArn: string | undefined;

  constructor(private readonly options: TableStreamOptions) {
    const config = options.dynamo.config;
    this.streams = new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: 'eu-west-1',
      credentials: config.credentials,
    });
  }

  /**
   * One pass: every record written since the checkpoints, in batches. Answers how many records
   * the handler acknowledged; a batch it failed is tried again on the next pass.
   */
  async poll(handler: StreamHandler): Promise<number> {
    const arn = await this.arn();
    const description = await this.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    let handled = 0;
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId) continue;
      handled += await this.pollShard(arn, shard.ShardId, handler);
    }
    return handled;
  }

  private async pollShard(arn: string, shardId: string, handler: StreamHandler): Promise<number> {
    const after = this.options.checkpoints.get(shardId);
    let iterator = (
      await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      )
    ).ShardIterator;
    let handled = 0;
    while (iterator) {
      const page = await this.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize ?? 100 }),
      );
      const records = (page.Records ?? []).map((r) => lambdaRecord(r, arn));
      if (records.length === 0) break;
      const delivered = await this.deliver(shardId, records, handler);
      handled += delivered;
      if (delivered < records.length) break; // retried from the checkpoint on the next pass
      iterator = page.NextShardIterator;
    }
    return handled;
  }

  /** Hands one batch to the handler; answers how many records (from the start) are done with. */
  private async deliver(shardId: string, records: DynamoDBRecord[], handler: StreamHandler): Promise<number> {
    let failedAt = records.length;
    try {
      const response = await handler({ Records: records });
      const failed = response?.batchItemFailures[0]?.itemIdentifier;
      if (failed)
        failedAt = Math.max(
          0,
          records.findIndex((r) => r.dynamodb?.SequenceNumber === failed),
        );
    } catch {
      failedAt = 0; // the whole batch failed, as when a Lambda invocation throws
    }
    const done = records.slice(0, failedAt);
    const last = done.at(-1)?.dynamodb?.SequenceNumber;
    if (last) this.options.checkpoints.set(shardId, last);
    const failed = records[failedAt];
    if (!failed) return records.length;
    const sequence = failed.dynamodb?.SequenceNumber ?? '';
    const attempts = (this.failures.get(sequence) ?? 0) + 1;
    this.failures.set(sequence, attempts);
    if (attempts < (this.options.maxAttempts ?? 5)) return done.length;
    // Given up, as the event source mapping does after its retries: to the dead letters, and on.
    if (this.options.deadLetterFile) {
      appendFileSync(
        this.options.deadLetterFile,
        `${JSON.stringify({ reason: 'retries exhausted', record: failed })}\n`,
      );
    }
    this.failures.delete(sequence);
    this.options.checkpoints.set(shardId, sequence);
    return done.length + 1;
  }

  private async arn(): Promise<string> {
    if (this.streamArn) return this.streamArn;
    const table = await this.options.dynamo.send(
      new DescribeTableCommand({ TableName: this.options.tableName }),
    );
    const arn = table.Table?.LatestStreamArn;
    if (!arn) throw new Error(`table ${this.options.tableName} has no stream`);
    this.streamArn = arn;
    return arn;
  }
}

function lambdaRecord(record: _Record, arn: string): DynamoDBRecord {
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'ddblocal',
    eventSourceARN: arn,
    dynamodb: record.dynamodb as DynamoDBRecord['dynamodb'],
  };
}
