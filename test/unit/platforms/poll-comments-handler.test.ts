import { fileURLToPath } from 'node:url';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeHandler } from '../../../functions/poll-comments/make-handler.ts';
import { lambdaContext } from '../../../infra/local/lambda-context.ts';
import { DynamoCursorStore } from '../../../shared/adapters/dynamodb-cursor-store.ts';
import { SqsCommentQueue } from '../../../shared/adapters/sqs-queue.ts';
import { loadConfigFile } from '../../../shared/config/load.ts';
import { NotFoundError } from '../../../shared/domain/errors.ts';
import { fixture } from './helpers.ts';

const SINCE = '2026-11-19T10:00:00.000Z';
const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const fetched: string[] = [];

/** Serves the recorded YouTube answers in place of the network. */
async function recordedYoutube(input: string | URL | Request): Promise<Response> {
  const url = new URL(String(input));
  fetched.push(url.toString());
  const file = url.pathname.endsWith('/comments')
    ? 'comments-replies.json'
    : url.searchParams.get('pageToken')
      ? 'comment-threads-page2.json'
      : 'comment-threads-page1.json';
  return new Response(fixture('youtube', file), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}

const YOUTUBE_KEY = 'test-key-youtube';
let handler: ReturnType<typeof makeHandler>;

beforeAll(() => {
  vi.stubGlobal('fetch', vi.fn(recordedYoutube));
  // The production adapters (cursors in DynamoDB, SQS), their SDK clients mocked at the boundary.
  handler = makeHandler({
    config: loadConfigFile(
      fileURLToPath(new URL('../../../config/community-autopilot.yaml', import.meta.url)),
    ),
    secrets: { sourceSecret: async () => ({ signingKey: YOUTUBE_KEY }) },
    cursors: new DynamoCursorStore(new DynamoDBClient({}), { tableName: 'autopilot-test' }),
    queue: new SqsCommentQueue(
      new SQSClient({}),
      'https://sqs.eu-west-1.amazonaws.com/123456789012/comments',
    ),
  });
});

afterAll(() => {
  vi.unstubAllGlobals();
});

beforeEach(() => {
  fetched.length = 0;
  dynamo.reset();
  sqs.reset();
  dynamo.on(GetCommand).resolves({ Item: { pk: 'CURSOR#youtube#threads', sk: 'CURSOR', since: SINCE } });
  dynamo.on(PutCommand).resolves({});
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
    Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: '' })),
    Failed: [],
  }));
});

describe('poll-comments handler', () => {
  it('polls the named source, queues its comments on SQS and saves the cursor in DynamoDB', async () => {
    const outcome = await handler({ source: 'youtube' }, lambdaContext('poll-comments', 120_000));

    const queued = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries ?? [])
      .map((e) => JSON.parse(e.MessageBody ?? '{}') as { comment: { source: string } });
    const saves = dynamo.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(outcome).toMatchObject({
      source: 'youtube',
      feeds: [{ feed: 'threads', stoppedBecause: 'caught-up' }],
    });
    expect(queued).toHaveLength(6);
    expect(queued.every((e) => e.comment.source === 'youtube')).toBe(true);
    expect(saves.at(-1)).toMatchObject({
      TableName: 'autopilot-test',
      Item: { pk: 'CURSOR#youtube#threads', sk: 'CURSOR', since: '2026-11-20T09:58:00.000Z' },
      ConditionExpression: expect.stringContaining('sinceMs <= :sinceMs'),
    });
    expect(new URL(fetched[0] ?? '').searchParams.get('key')).toBe(YOUTUBE_KEY);
  });

  it('stops quietly when an overlapping run already moved the cursor further', async () => {
    dynamo
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    const outcome = await handler({ source: 'youtube' }, lambdaContext('poll-comments', 120_000));

    expect(outcome).toMatchObject({ source: 'youtube', stopped: 'superseded' });
  });

  it('stops at the time budget, before Lambda would kill the run', async () => {
    const outcome = await handler({ source: 'youtube' }, lambdaContext('poll-comments', 10_000));

    expect(outcome).toMatchObject({ stopped: 'time-budget' });
    expect(fetched).toEqual([]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('refuses a source that is not polled or not configured', async () => {
    await expect(handler({ source: 'slack' }, lambdaContext('poll-comments'))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(handler({ source: 'tiktok' }, lambdaContext('poll-comments'))).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
