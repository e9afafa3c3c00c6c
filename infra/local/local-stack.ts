import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeHandler as makeDispatchOutbox } from '../../functions/dispatch-outbox/make-handler.ts';
import { makeHandler as makeIngestWebhook } from '../../functions/ingest-webhook/make-handler.ts';
import { makeHandler as makeProcessComments } from '../../functions/process-comments/make-handler.ts';
import { makeHandler as makeReadApi } from '../../functions/read-api/make-handler.ts';
import { makeHandler as makeSendDigest } from '../../functions/send-digest/make-handler.ts';
import { makeHandler as makeSlackInteractions } from '../../functions/slack-interactions/make-handler.ts';
import { makeHandler as makeWatchSla } from '../../functions/watch-sla/make-handler.ts';
import { DynamoDeliveryLog } from '../../shared/adapters/dynamodb-delivery-log.ts';
import { DynamoDispatchProgress } from '../../shared/adapters/dynamodb-dispatch-progress.ts';
import { DynamoFeedbackStore } from '../../shared/adapters/dynamodb-feedback-store.ts';
import { dynamoStores } from '../../shared/adapters/dynamodb-stores.ts';
import { FetchHttpClient } from '../../shared/adapters/fetch-http-client.ts';
import { SlackPoster } from '../../shared/adapters/slack-poster.ts';
import { SlackResponder } from '../../shared/adapters/slack-responder.ts';
import { TeamsPoster } from '../../shared/adapters/teams-poster.ts';
import { communityClassifiers } from '../../shared/classify/for-communities.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import { signingSources } from '../../shared/core/slack-interactions.ts';
import { isoWeekday, isValidDay, localTime } from '../../shared/domain/calendar.ts';
import { PayloadTooLargeError, ValidationError } from '../../shared/domain/errors.ts';
import { httpErrorAnswer } from '../../shared/http/errors-to-http.ts';
import { SOURCES } from '../../shared/platforms/index.ts';
import { type Consumer, startQueueConsumer, startStreamConsumer } from './consumers.ts';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';
import { DevSecretStore } from './dev-secrets.ts';
import { DurableCommentQueue, LocalQueue } from './durable-queue.ts';
import { type DynamoDbLocal, ensureTable, localClient, startDynamoDbLocal } from './dynamodb-local.ts';
import { FileDeadLetters } from './file-dead-letters.ts';
import { toApiGatewayEvent } from './http-event.ts';
import { lambdaContext } from './lambda-context.ts';
import { adaptiveCardsScriptPath, LocalChatInbox, LocalChatSecrets, PrintedAlerts } from './local-chat.ts';
import { type LocalTopics, startLocalTopics } from './local-topics.ts';
import { FileCheckpoints, MemoryCheckpoints, TableStream } from './table-stream.ts';

/**
 * The whole product on one machine, with no AWS account: the same handler factories as in Lambda
 * (functions/<name>/make-handler.ts), composed here with local adapters, behind one HTTP server;
 * DynamoDB Local (persisted under dataDir); the comments queue kept in DynamoDB Local too, so an
 * acknowledged comment survives a SIGKILL (durable-queue.ts); the team topics on an in-process SNS
 * emulator with a subscriber that writes notifications.jsonl (local-topics.ts); consumers feeding
 * the functions as Lambda's event source mappings would (consumers.ts): the comments queue to the
 * process function, the table's stream to the outbox dispatcher; and the schedules.
 * See docs/local-runtime.md.
 */
export interface LocalStackOptions {
  config: AutopilotConfig;
  port?: number;
  host?: string;
  /** Where DynamoDB's files and notifications.jsonl live (locked for this process); omit for in-memory. */
  dataDir?: string;
  /** Print each routed notification on stdout. */
  print?: (line: string) => void;
  /** Run the schedules (SLA watch every minute, digests at each community's digest hour). */
  schedules?: boolean;
  /** Batches processed at once, as Lambda's SQS poller does (default 4). */
  queueConcurrency?: number;
  /** How long a received comment stays invisible before it is received again (default 30 s). */
  visibilityTimeoutMs?: number;
  /** Stream passes before a failing outbox record goes to the dead letters (default 10, as deployed). */
  outboxAttempts?: number;
  /** Fixed ports for DynamoDB Local and the SNS emulator (default: free ones). */
  dynamoPort?: number;
  queuePort?: number;
}

export interface LocalStack {
  url: string;
  notificationsFile?: string;
  dynamoEndpoint: string;
  /** What the chat targets posted locally (GET /local/inbox shows it). */
  inbox: LocalChatInbox;
  /** Resolves when every enqueued comment has been processed and every notification drained. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export const TABLE_NAME = 'community-autopilot';
/** The local queues' own table, next to the service's one in DynamoDB Local. */
export const QUEUE_TABLE = 'local-queues';
/** API Gateway's own cap; the ingest handler enforces the configured, smaller one and answers 413. */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;
/** The read API's routes (IAM-authenticated when deployed, open on 127.0.0.1 here). */
const READ_ROUTES = ['/kpis', '/communities', '/members/top', '/threads/open'];
const LOCAL_REGION = 'eu-west-1';
/** As in the service stack: a message received this many times without success goes to the DLQ. */
const MAX_RECEIVE_COUNT = 5;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { config } = options;
  const print = options.print ?? (() => {});
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  // Undone in reverse order by stop(), or at once if the start fails half-way.
  const teardown: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const step of teardown.splice(0).reverse()) await step().catch(() => {});
  };

  try {
    let lock: DataDirLock | undefined;
    if (dataDir) {
      await mkdir(dataDir, { recursive: true });
      lock = await lockDataDir(dataDir);
      const held = lock;
      teardown.push(() => held.release());
    }

    const dynamo: DynamoDbLocal = await startDynamoDbLocal({
      ...(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}),
      ...(options.dynamoPort ? { port: options.dynamoPort } : {}),
    });
    teardown.push(() => dynamo.stop());
    const client = localClient(dynamo.endpoint);
    teardown.push(async () => client.destroy());
    await ensureTable(client, TABLE_NAME);
    await ensureTable(client, QUEUE_TABLE);

    const comments = new LocalQueue(client, {
      tableName: QUEUE_TABLE,
      name: 'comments',
      visibilityTimeoutMs: options.visibilityTimeoutMs ?? 30_000,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      onDeadLetter: ({ id, receiveCount }) =>
        print(`comment message ${id} moved to the local DLQ after ${receiveCount} receives`),
    });
    // This process holds the data-dir lock: whoever leased these before is dead.
    const reclaimed = await comments.reclaimLeases();
    if (reclaimed) print(`${reclaimed} queued comments left in hand by an earlier run are queued again`);

    const notificationsFile = dataDir ? join(dataDir, 'notifications.jsonl') : undefined;
    const topics: LocalTopics = await startLocalTopics({
      config,
      region: LOCAL_REGION,
      ...(options.queuePort ? { port: options.queuePort } : {}),
      ...(notificationsFile ? { notificationsFile } : {}),
      print,
    });
    teardown.push(() => topics.stop());

    // The same factories the Lambda entry points use, with local adapters: no environment involved.
    const stores = dynamoStores(client, {
      tableName: TABLE_NAME,
      retentionDays: config.retention.commentTextDays,
    });
    const notifier = topics.notifier;
    const ingest = makeIngestWebhook({
      config,
      sources: SOURCES,
      secrets: new DevSecretStore(),
      queue: new DurableCommentQueue(comments),
    });
    const readApi = makeReadApi({ config, ...stores });
    // No Comprehend here: every community is classified by the local engine alone.
    const processComments = makeProcessComments({
      config,
      classifiers: communityClassifiers(),
      store: stores.comments,
    });
    const sendDigest = makeSendDigest({ config, ...stores });
    const watchSla = makeWatchSla({ config, items: stores.items, store: stores.comments });
    // Dead letters and stream checkpoints beside the data (a temporary folder without a data dir).
    const scratch = dataDir ?? (await mkdtemp(join(tmpdir(), 'autopilot-local-')));
    if (!dataDir) teardown.push(() => rm(scratch, { recursive: true, force: true }));
    const deadLetterFile = join(scratch, 'outbox-dead-letters.jsonl');
    // Chat targets post over HTTP to the built-in inbox (or where AUTOPILOT_CHAT_* says), as in AWS.
    let baseUrl = '';
    const inbox = new LocalChatInbox(dataDir ? join(dataDir, 'chat-inbox.jsonl') : undefined, print);
    const http = new FetchHttpClient({ timeoutMs: 5000 });
    const chatSecrets = new LocalChatSecrets(config, () => baseUrl);
    const dispatchOutbox = makeDispatchOutbox({
      config,
      notifier,
      comments: stores.comments,
      progress: new DynamoDispatchProgress(client, TABLE_NAME),
      deadLetters: new FileDeadLetters(deadLetterFile, print),
      chat: {
        posters: {
          slack: new SlackPoster({ http, secrets: chatSecrets }),
          teams: new TeamsPoster({ http, secrets: chatSecrets }),
          chatbot: inbox.chatbotPoster(),
        },
        log: new DynamoDeliveryLog(client, TABLE_NAME),
        alerts: new PrintedAlerts(print, join(scratch, 'operator-alerts.jsonl')),
      },
    });
    const devSecrets = new DevSecretStore();
    const slackInteractions = makeSlackInteractions({
      config,
      secrets: devSecrets,
      items: stores.items,
      store: stores.comments,
      feedback: new DynamoFeedbackStore(client, {
        tableName: TABLE_NAME,
        retentionDays: config.retention.commentTextDays,
      }),
      // Locally the "response URL" is the inbox's own: a click updates the message on the page.
      responder: new SlackResponder({ http, allowedPrefix: `http://${options.host ?? '127.0.0.1'}:` }),
    });
    const interactive = config.teams.some((t) => t.chat.some((c) => c.type === 'slack' && c.interactive));
    const stream = new TableStream({
      dynamo: client,
      endpoint: dynamo.endpoint,
      tableName: TABLE_NAME,
      checkpoints: dataDir
        ? new FileCheckpoints(join(dataDir, 'outbox-checkpoints.json'))
        : new MemoryCheckpoints(),
      deadLetterFile,
      maxAttempts: options.outboxAttempts ?? 10,
    });

    // One entry per event source mapping.
    const consumers: Consumer[] = [
      startQueueConsumer({
        name: 'process-comments',
        queue: comments,
        handler: processComments,
        batchSize: 10,
        concurrency: options.queueConcurrency ?? 4,
        timeoutMs: 60_000,
        region: LOCAL_REGION,
        print,
      }),
      startStreamConsumer({ name: 'dispatch-outbox', stream, handler: dispatchOutbox, print }),
      topics.consumer,
    ];
    // Before the topics and the database: consumers finish what they hold first.
    teardown.push(async () => {
      await Promise.all(consumers.map((c) => c.stop()));
    });

    const runDigest = (community: string, kind: 'daily' | 'weekly', force: boolean, date?: string) =>
      sendDigest({ community, kind, force, ...(date ? { date } : {}) }, lambdaContext('send-digest'));
    const runWatch = () => watchSla({}, lambdaContext('watch-sla', 120_000));

    if (options.schedules) {
      const timer = startSchedules(config, { runDigest, runWatch, print });
      teardown.push(async () => clearInterval(timer));
    }

    /** Idle = every consumer's backlog at zero, seen twice in a row (a publish may land between polls). */
    const idle = async () => {
      let quiet = 0;
      while (quiet < 2) {
        const backlogs = await Promise.all(consumers.map((c) => c.backlog()));
        quiet = backlogs.every((b) => b === 0) ? quiet + 1 : 0;
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const route = async (
      request: IncomingMessage,
      body: Buffer,
      url: URL,
    ): Promise<APIGatewayProxyStructuredResultV2> => {
      const webhook = /^\/webhooks\/([^/]+)\/?$/.exec(url.pathname);
      if (webhook) {
        let source: string;
        try {
          source = decodeURIComponent(webhook[1] as string);
        } catch {
          throw new ValidationError('the source in the path is not valid percent-encoding');
        }
        return ingest(
          toApiGatewayEvent(request, body, {
            routeKey: 'ANY /webhooks/{source}',
            pathParameters: { source },
          }),
          lambdaContext('ingest-webhook', 10_000),
        );
      }
      if (request.method === 'GET' && READ_ROUTES.includes(url.pathname.replace(/\/+$/, ''))) {
        return readApi(
          toApiGatewayEvent(request, body, { routeKey: `GET ${url.pathname}` }),
          lambdaContext('read-api'),
        );
      }
      if (request.method === 'POST' && url.pathname === '/slack/interactions') {
        return slackInteractions(
          toApiGatewayEvent(request, body, { routeKey: 'POST /slack/interactions' }),
          lambdaContext('slack-interactions'),
        );
      }
      if (url.pathname.startsWith('/local/inbox')) {
        if (request.method === 'GET' && url.pathname.replace(/\/+$/, '') === '/local/inbox') {
          return {
            statusCode: 200,
            headers: { 'content-type': 'text/html; charset=utf-8' },
            body: inbox.page({ interactive }),
          };
        }
        if (request.method === 'GET' && url.pathname === '/local/inbox/messages.json') {
          return { statusCode: 200, body: JSON.stringify(inbox.messages) };
        }
        if (request.method === 'GET' && url.pathname === '/local/inbox/adaptivecards.js') {
          return {
            statusCode: 200,
            headers: { 'content-type': 'text/javascript; charset=utf-8' },
            body: await readFile(adaptiveCardsScriptPath(), 'utf8'),
          };
        }
        const respond = /^\/local\/inbox\/respond\/([^/]+)$/.exec(url.pathname);
        if (request.method === 'POST' && respond) {
          const update = JSON.parse(body.toString('utf8')) as { text?: string; blocks?: never[] };
          return inbox.replace(respond[1] as string, update)
            ? { statusCode: 200, body: JSON.stringify({ ok: true }) }
            : { statusCode: 404, body: JSON.stringify({ ok: false, error: 'expired_url' }) };
        }
        if (request.method === 'POST' && url.pathname === '/local/inbox/click') {
          return clickFromInbox(body);
        }
        if (request.method === 'POST') {
          const answer = await inbox.handle(url.pathname, body);
          if (answer) return { ...answer, headers: { 'content-type': 'text/plain' } };
        }
      }
      if (request.method === 'POST' && url.pathname === '/local/digest') {
        const community = url.searchParams.get('community') ?? config.communities[0]?.id ?? '';
        const kind = url.searchParams.get('kind') === 'weekly' ? 'weekly' : 'daily';
        const date = url.searchParams.get('date') ?? undefined;
        if (date && !isValidDay(date)) throw new ValidationError('"date" must be YYYY-MM-DD');
        return { statusCode: 200, body: JSON.stringify(await runDigest(community, kind, true, date)) };
      }
      if (request.method === 'POST' && url.pathname === '/local/watch-sla') {
        return { statusCode: 200, body: JSON.stringify(await runWatch()) };
      }
      if (request.method === 'GET' && url.pathname === '/local/idle') {
        await idle();
        return { statusCode: 200, body: JSON.stringify({ idle: true }) };
      }
      if (request.method === 'GET' && url.pathname === '/local/queues') {
        return { statusCode: 200, body: JSON.stringify({ comments: await comments.depth() }) };
      }
      if (request.method === 'GET' && url.pathname === '/health') {
        return { statusCode: 200, body: JSON.stringify({ ok: true }) };
      }
      return {
        statusCode: 404,
        body: JSON.stringify({ error: 'not_found', message: `no route ${request.method} ${url.pathname}` }),
      };
    };

    /** A click on the inbox page, sent to the interactions route as Slack would send it, signed. */
    const clickFromInbox = async (body: Buffer): Promise<APIGatewayProxyStructuredResultV2> => {
      const click = JSON.parse(body.toString('utf8')) as {
        message: string;
        action: string;
        value: string;
        user: string;
      };
      const message = inbox.messages.find((m) => m.id === click.message);
      const [source] = signingSources(config);
      if (!message || !source) return { statusCode: 404, body: JSON.stringify({ error: 'not_found' }) };
      const payload = {
        type: 'block_actions',
        user: { id: click.user, username: 'local', name: 'local' },
        actions: [{ action_id: click.action, value: click.value, type: 'button' }],
        response_url: `${baseUrl}/local/inbox/respond/${message.id}`,
        message: message.payload,
      };
      const form = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const key = (await devSecrets.sourceSecret(source)).signingKey;
      const signature = `v0=${createHmac('sha256', key).update(`v0:${timestamp}:${form}`).digest('hex')}`;
      const answer = await fetch(`${baseUrl}/slack/interactions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature,
        },
        body: form,
      });
      return { statusCode: answer.status, body: await answer.text() };
    };

    const server = createServer((request, response) => {
      void serve(request, response, route);
    });
    const host = options.host ?? '127.0.0.1';
    const port = await listen(server, options.port ?? 3000, host);
    baseUrl = `http://${host}:${port}`;
    // First to go: no new request is accepted while the rest shuts down.
    teardown.push(() => new Promise<void>((r) => server.close(() => r())));
    await lock?.setPort(port);

    return {
      url: `http://${host}:${port}`,
      ...(notificationsFile ? { notificationsFile } : {}),
      dynamoEndpoint: dynamo.endpoint,
      inbox,
      idle,
      stop: unwind,
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

/**
 * EventBridge Scheduler stand-in: the SLA watch every minute; the daily digest at each community's
 * digest hour and the weekly one on Mondays at that hour, in its time zone.
 */
function startSchedules(
  config: AutopilotConfig,
  run: {
    runDigest: (community: string, kind: 'daily' | 'weekly', force: boolean) => Promise<unknown>;
    runWatch: () => Promise<unknown>;
    print: (line: string) => void;
  },
): NodeJS.Timeout {
  const lastRun = new Map<string, string>();
  const tick = async () => {
    await run.runWatch().catch((error) => run.print(`SLA watch failed: ${(error as Error).message}`));
    for (const community of config.communities) {
      const local = localTime(new Date(), community.timezone);
      if (local.hour !== community.digestHour) continue;
      const kinds: ('daily' | 'weekly')[] = isoWeekday(local.date) === 1 ? ['daily', 'weekly'] : ['daily'];
      for (const kind of kinds) {
        const key = `${community.id}#${kind}`;
        if (lastRun.get(key) === local.date) continue;
        lastRun.set(key, local.date);
        await run
          .runDigest(community.id, kind, false)
          .catch((error) => run.print(`${kind} digest failed: ${(error as Error).message}`));
      }
    }
  };
  void tick();
  return setInterval(() => void tick(), 60_000);
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  route: (request: IncomingMessage, body: Buffer, url: URL) => Promise<APIGatewayProxyStructuredResultV2>,
) {
  try {
    const body = await readBody(request, API_GATEWAY_MAX_BODY);
    const result = await route(request, body, new URL(request.url ?? '/', 'http://127.0.0.1'));
    response.writeHead(result.statusCode ?? 200, {
      'content-type': 'application/json',
      ...(result.headers as Record<string, string>),
    });
    response.end(result.body ?? '');
  } catch (error) {
    // The functions' own mapping (shared/http/errors-to-http.ts), for the local-only routes.
    const answer = httpErrorAnswer(error);
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  }
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
