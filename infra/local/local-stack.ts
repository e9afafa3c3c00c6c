import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import { makeHandler as makeDispatcher } from '../../functions/dispatch-outbox/make-handler.ts';
import { DynamoDispatchProgress } from '../../shared/adapters/dynamodb-dispatch-progress.ts';
import { notifierFromEnv, storeFromEnv } from '../../shared/adapters/from-env.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import { isoWeekday, isValidDay, localTime } from '../../shared/domain/calendar.ts';
import { PayloadTooLargeError, ValidationError } from '../../shared/domain/errors.ts';
import { httpErrorAnswer } from '../../shared/http/errors-to-http.ts';
import { ensureTable, freePort, localClient, startDynamoDbLocal } from './dynamodb-local.ts';
import { FileDeadLetters } from './file-dead-letters.ts';
import { toApiGatewayEvent } from './http-event.ts';
import { lambdaContext } from './lambda-context.ts';
import { FileCheckpoints, MemoryCheckpoints, TableStream } from './table-stream.ts';

/**
 * The whole product on one machine, with no AWS account: the same handlers as in Lambda, behind one
 * HTTP server; DynamoDB Local (persisted under dataDir); an in-process SNS/SQS emulator (fauxqs)
 * with the comments queue, its DLQ and one topic per team; a poller feeding the process handler
 * SQS-shaped batches as Lambda's event source mapping would; the outbox dispatcher fed by the
 * table's stream, as DynamoDB Streams feeds it in AWS; a drain that prints notifications and
 * appends them to notifications.jsonl; and the schedules.
 */
export interface LocalStackOptions {
  config: AutopilotConfig;
  port?: number;
  host?: string;
  /** Where DynamoDB's files and notifications.jsonl live; omit for an in-memory store (tests, bench). */
  dataDir?: string;
  /** Print each routed notification on stdout. */
  print?: (line: string) => void;
  /** Run the digest schedule (every minute, at each community's digest hour). */
  schedules?: boolean;
  /** Batches processed at once, as Lambda's SQS poller does (default 4). */
  queueConcurrency?: number;
  /** Fixed ports for DynamoDB Local and the SNS/SQS emulator (default: free ones). */
  dynamoPort?: number;
  queuePort?: number;
}

export interface LocalStack {
  url: string;
  notificationsFile?: string;
  /** Resolves when every enqueued comment has been processed and every notification drained. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const TABLE_NAME = 'community-autopilot';
/** API Gateway's own cap; the ingest handler enforces the configured, smaller one and answers 413. */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;
/** The read API's routes (IAM-authenticated when deployed, open on 127.0.0.1 here). */
const READ_ROUTES = ['/kpis', '/communities', '/members/top', '/threads/open'];
const LOCAL_REGION = 'eu-west-1';

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { config } = options;
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) await mkdir(dataDir, { recursive: true });

  const dynamo = await startDynamoDbLocal({
    ...(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}),
    ...(options.dynamoPort ? { port: options.dynamoPort } : {}),
  });
  const client = localClient(dynamo.endpoint);
  await ensureTable(client, TABLE_NAME);

  const fauxqs = await startFauxqs({
    port: options.queuePort ?? (await freePort()),
    logger: false,
    defaultRegion: LOCAL_REGION,
  } as never);
  const dlq = fauxqs.createQueue('comments-dlq', { region: LOCAL_REGION });
  const queue = fauxqs.createQueue('comments', {
    region: LOCAL_REGION,
    attributes: {
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: '5' }),
    },
  });
  const inbox = fauxqs.createQueue('local-notifications', { region: LOCAL_REGION });
  const topics: Record<string, string> = {};
  const teamOfTopic = new Map<string, string>();
  for (const team of config.teams) {
    const { topicArn } = fauxqs.createTopic(`team-${team.id}`, { region: LOCAL_REGION });
    fauxqs.subscribe({ topic: `team-${team.id}`, queue: 'local-notifications', region: LOCAL_REGION });
    topics[team.id] = topicArn;
    teamOfTopic.set(topicArn, team.id);
  }

  // The handlers load the configuration themselves, as in Lambda: hand them exactly this one.
  const configDir = await mkdtemp(join(tmpdir(), 'autopilot-config-'));
  const configFile = join(configDir, 'config.json');
  await writeFile(configFile, JSON.stringify(config));

  // The handlers are composition roots that read their environment at import: set it first.
  Object.assign(process.env, {
    AUTOPILOT_CONFIG: configFile,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: fauxqs.address,
    AWS_ENDPOINT_URL_SNS: fauxqs.address,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AUTOPILOT_LOCAL: '1',
    TABLE_NAME,
    QUEUE_URL: queue.queueUrl,
    TEAM_TOPICS: JSON.stringify(topics),
    POWERTOOLS_SERVICE_NAME: 'community-autopilot-local',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });
  const ingest = (await import('../../functions/ingest-webhook/handler.ts'))
    .handler as unknown as HttpHandler;
  const readApi = (await import('../../functions/read-api/handler.ts')).handler as unknown as HttpHandler;
  const processComments = (await import('../../functions/process-comments/handler.ts'))
    .handler as unknown as (
    event: SQSEvent,
    context: ReturnType<typeof lambdaContext>,
  ) => Promise<SQSBatchResponse>;
  const sendDigest = (await import('../../functions/send-digest/handler.ts')).handler as unknown as (
    event: unknown,
    context: ReturnType<typeof lambdaContext>,
  ) => Promise<unknown>;

  // The outbox dispatcher, fed by the table's stream as Lambda's event source mapping feeds it.
  const scratch = dataDir ?? configDir;
  const dispatcher = makeDispatcher({
    config,
    notifier: notifierFromEnv(),
    comments: storeFromEnv(config),
    progress: new DynamoDispatchProgress(client, TABLE_NAME),
    deadLetters: new FileDeadLetters(join(scratch, 'outbox-dead-letters.jsonl'), (line) =>
      options.print?.(line),
    ),
  });
  const stream = new TableStream({
    dynamo: client,
    endpoint: dynamo.endpoint,
    tableName: TABLE_NAME,
    checkpoints: dataDir
      ? new FileCheckpoints(join(dataDir, 'outbox-checkpoints.json'))
      : new MemoryCheckpoints(),
    deadLetterFile: join(scratch, 'outbox-dead-letters.jsonl'),
    maxAttempts: 10,
  });
  /** One pass over the stream at a time: the loop and idle() share it, so nothing is dispatched twice. */
  let outboxPass: Promise<number> = Promise.resolve(0);
  const dispatchOutbox = () => {
    outboxPass = outboxPass
      .catch(() => 0)
      .then(() => stream.poll((event) => dispatcher(event, lambdaContext('dispatch-outbox', 60_000))));
    return outboxPass;
  };

  const sqs = new SQSClient({ endpoint: fauxqs.address, region: LOCAL_REGION, useQueueUrlAsEndpoint: false });
  const notificationsFile = dataDir ? join(dataDir, 'notifications.jsonl') : undefined;
  const print = options.print ?? (() => {});
  let running = true;
  let inFlight = 0;

  /** Lambda's SQS event source mapping, in miniature: receive up to 10, invoke, delete what succeeded. */
  const pollComments = async () => {
    while (running) {
      const received = await receive(sqs, queue.queueUrl);
      if (!received.length) continue;
      inFlight += 1;
      try {
        const event: SQSEvent = { Records: received.map((m) => toSqsRecord(m, queue.queueArn)) };
        let failed = new Set<string>();
        try {
          const response = await processComments(event, lambdaContext('process-comments', 60_000));
          failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (error) {
          print(`process-comments failed: ${(error as Error).message}`);
          failed = new Set(received.map((m) => m.MessageId as string));
        }
        const done = received.filter((m) => !failed.has(m.MessageId as string));
        if (done.length) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queue.queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
            }),
          );
        }
      } finally {
        inFlight -= 1;
      }
    }
  };

  /** Stands in for e-mail/HTTPS subscribers: every team topic delivers into one queue, drained here. */
  const drainNotifications = async () => {
    while (running) {
      const received = await receive(sqs, inbox.queueUrl);
      if (!received.length) continue;
      inFlight += 1;
      try {
        const lines: string[] = [];
        for (const m of received) {
          let envelope: SnsEnvelope;
          try {
            envelope = JSON.parse(m.Body ?? '') as SnsEnvelope;
          } catch {
            print(`skipped a notification that is not an SNS envelope: ${(m.Body ?? '').slice(0, 80)}`);
            continue;
          }
          const record = {
            team: teamOfTopic.get(envelope.TopicArn) ?? envelope.TopicArn,
            subject: envelope.Subject ?? '',
            message: JSON.parse(defaultMessage(envelope.Message)) as unknown,
            attributes: Object.fromEntries(
              Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value]),
            ),
          };
          print(`→ ${record.team.padEnd(11)} ${record.subject}`);
          lines.push(JSON.stringify(record));
        }
        if (notificationsFile) await appendFile(notificationsFile, `${lines.join('\n')}\n`);
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: inbox.queueUrl,
            Entries: received.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
          }),
        );
      } finally {
        inFlight -= 1;
      }
    }
  };

  const dispatchLoop = async () => {
    while (running) {
      const handled = await dispatchOutbox().catch((error) => {
        print(`outbox dispatch failed: ${(error as Error).message}`);
        return 0;
      });
      if (handled === 0) await new Promise((r) => setTimeout(r, 200));
    }
  };

  const runDigest = async (community: string, kind: 'daily' | 'weekly', force: boolean, date?: string) =>
    sendDigest({ community, kind, force, ...(date ? { date } : {}) }, lambdaContext('send-digest'));
  const watchSla = (await import('../../functions/watch-sla/handler.ts')).handler as unknown as (
    event: unknown,
    context: ReturnType<typeof lambdaContext>,
  ) => Promise<{ escalated: unknown[] }[]>;
  const runWatch = async () => watchSla({}, lambdaContext('watch-sla', 120_000));

  /**
   * EventBridge Scheduler stand-in: the SLA watch every minute; the daily digest at each
   * community's digest hour and the weekly one on Mondays at that hour, in its time zone.
   */
  const lastRun = new Map<string, string>();
  const scheduleTick = async () => {
    await runWatch().catch((error) => print(`SLA watch failed: ${(error as Error).message}`));
    for (const community of config.communities) {
      const now = new Date();
      const local = localTime(now, community.timezone);
      if (local.hour !== community.digestHour) continue;
      const kinds: ('daily' | 'weekly')[] = isoWeekday(local.date) === 1 ? ['daily', 'weekly'] : ['daily'];
      for (const kind of kinds) {
        const key = `${community.id}#${kind}`;
        if (lastRun.get(key) === local.date) continue;
        lastRun.set(key, local.date);
        await runDigest(community.id, kind, false).catch((error) =>
          print(`${kind} digest failed: ${(error as Error).message}`),
        );
      }
    }
  };
  const scheduleTimer = options.schedules ? setInterval(() => void scheduleTick(), 60_000) : undefined;
  if (options.schedules) void scheduleTick();

  // Lambda's SQS poller runs several batches at once; so does this one.
  const pollers = Array.from({ length: options.queueConcurrency ?? 4 }, () => pollComments());
  const loops = [...pollers, dispatchLoop(), drainNotifications()].map((p) =>
    p.catch((error) => {
      if (running) print(`local queue loop stopped: ${(error as Error).message}`);
    }),
  );

  /**
   * Idle = both queues empty, nothing in hand and nothing left on the table's stream, seen twice
   * in a row (a publish may land between polls).
   */
  const idle = async () => {
    let quiet = 0;
    while (quiet < 2) {
      const depth = (await queueDepth(sqs, queue.queueUrl)) + (await queueDepth(sqs, inbox.queueUrl));
      const owed = depth === 0 && inFlight === 0 ? await dispatchOutbox().catch(() => 1) : 1;
      quiet = depth === 0 && inFlight === 0 && owed === 0 ? quiet + 1 : 0;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const server = createServer((request, response) => {
    void route(request, response);
  });
  const route = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const body = await readBody(request, API_GATEWAY_MAX_BODY);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const webhook = /^\/webhooks\/([^/]+)\/?$/.exec(url.pathname);
      let result: APIGatewayProxyStructuredResultV2;
      if (webhook) {
        let source: string;
        try {
          source = decodeURIComponent(webhook[1] as string);
        } catch {
          throw new ValidationError('the source in the path is not valid percent-encoding');
        }
        result = await ingest(
          toApiGatewayEvent(request, body, {
            routeKey: `ANY /webhooks/{source}`,
            pathParameters: { source },
          }),
          lambdaContext('ingest-webhook', 10_000),
        );
      } else if (request.method === 'GET' && READ_ROUTES.includes(url.pathname.replace(/\/+$/, ''))) {
        result = await readApi(
          toApiGatewayEvent(request, body, { routeKey: `GET ${url.pathname}` }),
          lambdaContext('read-api'),
        );
      } else if (request.method === 'POST' && url.pathname === '/local/digest') {
        const community = url.searchParams.get('community') ?? config.communities[0]?.id ?? '';
        const kind = url.searchParams.get('kind') === 'weekly' ? 'weekly' : 'daily';
        const date = url.searchParams.get('date') ?? undefined;
        result =
          date && !isValidDay(date)
            ? {
                statusCode: 400,
                body: JSON.stringify({ error: 'invalid_request', message: `"date" must be YYYY-MM-DD` }),
              }
            : { statusCode: 200, body: JSON.stringify(await runDigest(community, kind, true, date)) };
      } else if (request.method === 'POST' && url.pathname === '/local/watch-sla') {
        result = { statusCode: 200, body: JSON.stringify(await runWatch()) };
      } else if (request.method === 'GET' && url.pathname === '/local/idle') {
        await idle();
        result = { statusCode: 200, body: JSON.stringify({ idle: true }) };
      } else if (request.method === 'GET' && url.pathname === '/health') {
        result = { statusCode: 200, body: JSON.stringify({ ok: true }) };
      } else {
        result = {
          statusCode: 404,
          body: JSON.stringify({ error: 'not_found', message: `no route ${request.method} ${url.pathname}` }),
        };
      }
      response.writeHead(result.statusCode ?? 200, {
        'content-type': 'application/json',
        ...(result.headers as Record<string, string>),
      });
      response.end(result.body ?? '');
    } catch (error) {
      // The functions' own mapping (shared/http/errors-to-http.ts), for the local-only routes.
      const answer = httpErrorAnswer(error);
      if (answer.fault === 'service') print(`local route failed: ${(error as Error).message}`);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    }
  };
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 3000, host);

  return {
    url: `http://${host}:${port}`,
    ...(notificationsFile ? { notificationsFile } : {}),
    idle,
    stop: async () => {
      running = false;
      if (scheduleTimer) clearInterval(scheduleTimer);
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.all(loops);
      sqs.destroy();
      await outboxPass.catch(() => 0);
      client.destroy();
      await fauxqs.stop();
      await dynamo.stop();
      await rm(configDir, { recursive: true, force: true });
    },
  };
}

interface SnsEnvelope {
  TopicArn: string;
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/**
 * With MessageStructure 'json', SNS delivers the `sqs` (or `default`) member to SQS subscribers;
 * the emulator forwards the whole structure, so pick the member here as SNS would.
 */
function defaultMessage(message: string): string {
  const parsed = JSON.parse(message) as unknown;
  if (parsed && typeof parsed === 'object' && 'default' in parsed && typeof parsed.default === 'string') {
    const structured = parsed as Record<string, string>;
    return structured.sqs ?? structured.default ?? message;
  }
  return message;
}

async function receive(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const result = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return result.Messages ?? [];
}

async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

function toSqsRecord(message: Message, queueArn: string): SQSEvent['Records'][number] {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        {
          stringValue: v.StringValue,
          dataType: v.DataType ?? 'String',
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

/** Reads at most `limit` + 1 bytes, so a huge body is refused without buffering it (API Gateway caps at 10 MB). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      throw new PayloadTooLargeError(`body is larger than the ${limit}-byte limit`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    });
  });
}
