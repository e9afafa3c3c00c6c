import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  Fn,
  ReferenceStrength,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import { signingSources } from '../../shared/core/slack-interactions.ts';
import { polledSources } from '../../shared/platforms/source-options.ts';
import { ChatTargets } from '../constructs/chat-targets.ts';
import { DigestSchedules } from '../constructs/digest-schedules.ts';
import { pascalCase } from '../constructs/names.ts';
import { OpsAlarms } from '../constructs/ops-alarms.ts';
import { OutboxDispatcher } from '../constructs/outbox-dispatcher.ts';
import { PollSchedules } from '../constructs/poll-schedules.ts';
import { METRICS_NAMESPACE, ServiceFunction } from '../constructs/service-function.ts';
import { SlaWatchSchedules } from '../constructs/sla-watch-schedules.ts';
import { SourceSecrets } from '../constructs/source-secrets.ts';
import { TeamTopics } from '../constructs/team-topics.ts';

export interface ServiceStackProps extends StackProps {
  readonly config: AutopilotConfig;
  /** The table of the data stack. */
  readonly table: ITable;
}

/** Process function timeout; the queue's visibility timeout is derived from it. */
export const PROCESS_TIMEOUT = Duration.seconds(60);

/** Poll function timeout: the run stops starting requests 15 s before it and resumes on the next schedule. */
export const POLL_TIMEOUT = Duration.minutes(2);

/** SLA watch timeout: well under the 5-minute schedule, so one community's runs never overlap. */
export const WATCH_TIMEOUT = Duration.minutes(2);

/** A watch run still waiting (throttled) after this is dropped: the next scheduled one supersedes it. */
export const WATCH_MAX_EVENT_AGE = Duration.minutes(4);

/** The IAM-authenticated read routes, all served by the read-api function. */
export const READ_ROUTES = ['/communities', '/kpis', '/members/top', '/threads/open'] as const;

/**
 * What the Comprehend engine calls. Comprehend's detect APIs have no resource-level permissions,
 * so these can only be granted on Resource "*".
 */
export const COMPREHEND_ACTIONS = [
  'comprehend:BatchDetectSentiment',
  'comprehend:BatchDetectDominantLanguage',
  'comprehend:DetectToxicContent',
] as const;

/** Default stage throttling: generous for webhook bursts, still a ceiling on a runaway caller's bill. */
export const API_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * Everything that follows the configuration and can be redeployed at will: functions, HTTP API,
 * queue, team topics, source secrets (retained), digest, poll and SLA watch schedules, and alarms.
 */
export class ServiceStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly functions: {
    readonly ingestWebhook: ServiceFunction;
    readonly processComments: ServiceFunction;
    readonly readApi: ServiceFunction;
    readonly sendDigest: ServiceFunction;
    readonly watchSla: ServiceFunction;
    readonly dispatchOutbox: ServiceFunction;
    /** Only when the configuration has polled sources (YouTube, Reddit). */
    readonly pollComments?: ServiceFunction;
    /** Only when a team has an interactive Slack target. */
    readonly slackInteractions?: ServiceFunction;
  };
  readonly outbox: OutboxDispatcher;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    // Strong (export/import) on purpose: CloudFormation then refuses to delete the table while
    // this stack still uses it. The table is the only value crossing stacks and rarely changes.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, table } = props;

    const topics = new TeamTopics(this, 'TeamTopics', { teams: config.teams });
    const secrets = new SourceSecrets(this, 'SourceSecrets', { sources: config.sources });
    // Each source is read by exactly one function: webhook sources by ingest, the others by poll.
    const polled = polledSources(config);
    const polledIds = polled.map((s) => s.id);
    const webhookIds = config.sources.filter((s) => !polledIds.includes(s.id)).map((s) => s.id);

    // ---- queue -------------------------------------------------------------------------------
    this.deadLetterQueue = new Queue(this, 'CommentsDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'CommentsQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS guidance for Lambda event sources: at least 6x the function timeout, so a message
      // is not redelivered while a (retried) invocation still holds it.
      visibilityTimeout: Duration.seconds(PROCESS_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    // ---- functions -----------------------------------------------------------------------------
    const ingestWebhook = new ServiceFunction(this, 'IngestWebhook', {
      name: 'ingest-webhook',
      description: 'Verifies, parses and enqueues webhook deliveries; answers platform handshakes',
      config,
      memorySize: 1024, // more CPU per request: the ack latency is what the platforms time
      timeout: Duration.seconds(10),
      environment: { QUEUE_URL: this.queue.queueUrl, SOURCE_SECRETS: secrets.arnsJson(webhookIds) },
    });
    this.queue.grantSendMessages(ingestWebhook.function);
    secrets.grantRead(ingestWebhook.function, webhookIds);

    const processComments = new ServiceFunction(this, 'ProcessComments', {
      name: 'process-comments',
      description: 'Dedupes, classifies, routes and records queued comments',
      config,
      memorySize: 1024,
      timeout: PROCESS_TIMEOUT,
      environment: { TABLE_NAME: table.tableName },
    });
    table.grantReadWriteData(processComments.function);
    if (config.communities.some((c) => c.classifier.comprehend !== 'off')) {
      grantComprehend(processComments);
    }
    processComments.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(2),
        reportBatchItemFailures: true,
      }),
    );

    const readApi = new ServiceFunction(this, 'ReadApi', {
      name: 'read-api',
      description: 'Serves communities, KPIs, top members and open threads to IAM-authenticated callers',
      config,
      timeout: Duration.seconds(10),
      environment: { TABLE_NAME: table.tableName },
    });
    table.grantReadData(readApi.function);

    const sendDigest = new ServiceFunction(this, 'SendDigest', {
      name: 'send-digest',
      description: "Publishes a community's daily KPI digest and weekly recognition digest to its team",
      config,
      timeout: Duration.seconds(60),
      environment: { TABLE_NAME: table.tableName },
    });
    table.grantReadData(sendDigest.function);
    // Its once-records only (a digest is recorded once, with its notification in the outbox).
    sendDigest.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ONCE#*'] } },
      }),
    );

    const watchSla = new ServiceFunction(this, 'WatchSla', {
      name: 'watch-sla',
      description: 'Escalates items left unanswered past their community SLA, once per level',
      config,
      timeout: WATCH_TIMEOUT,
      // One watcher at a time: two concurrent runs are harmless (each escalation is a conditional
      // write of the item, so it is owed once) but wasteful, as both read the same open items.
      // An invocation that finds the slot taken is throttled and retried by Lambda.
      reservedConcurrentExecutions: 1,
      environment: { TABLE_NAME: table.tableName },
    });
    // Scheduler invokes asynchronously: a failed run is not retried, and a run throttled behind
    // another community's is dropped if it cannot start before the next one is due.
    watchSla.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: WATCH_MAX_EVENT_AGE });
    // Read/write: an escalation is a conditional transaction on the open item.
    table.grantReadWriteData(watchSla.function);

    // ---- outbox: the one path of every side effect -------------------------------------------------
    const chat = new ChatTargets(this, 'ChatTargets', { teams: config.teams });
    this.outbox = new OutboxDispatcher(this, 'Outbox', { config, table, topics, chat });

    // ---- Slack interactivity (buttons on chat notifications) --------------------------------------
    const interactive = config.teams.some((t) => t.chat.some((c) => c.type === 'slack' && c.interactive));
    let slackInteractions: ServiceFunction | undefined;
    if (interactive) {
      const signing = signingSources(config);
      slackInteractions = new ServiceFunction(this, 'SlackInteractions', {
        name: 'slack-interactions',
        description: 'Verifies Slack button clicks (Mark handled, Assign to me, Not toxic) and applies them',
        config,
        memorySize: 1024, // Slack wants the answer within 3 s
        timeout: Duration.seconds(10),
        environment: { TABLE_NAME: table.tableName, SOURCE_SECRETS: secrets.arnsJson(signing) },
      });
      secrets.grantRead(slackInteractions.function, signing);
      // Closing an item is one conditional transaction on the item (THREAD#), its open marker
      // (OPEN#) and its day's counters (KPI#); feedback is a FEEDBACK# record. Nothing else.
      slackInteractions.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:ConditionCheckItem',
          ],
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': ['THREAD#*', 'OPEN#*', 'KPI#*', 'FEEDBACK#*'],
            },
          },
        }),
      );
    }

    // ---- pollers (sources without webhooks) ------------------------------------------------------
    let pollComments: ServiceFunction | undefined;
    if (polled.length > 0) {
      pollComments = new ServiceFunction(this, 'PollComments', {
        name: 'poll-comments',
        description: 'Reads new comments of polled sources (YouTube, Reddit) and enqueues them',
        config,
        timeout: POLL_TIMEOUT,
        environment: {
          QUEUE_URL: this.queue.queueUrl,
          TABLE_NAME: table.tableName,
          SOURCE_SECRETS: secrets.arnsJson(polledIds),
        },
      });
      this.queue.grantSendMessages(pollComments.function);
      secrets.grantRead(pollComments.function, polledIds);
      // Its cursors only: get and conditional put on the CURSOR# items, nothing else in the table.
      pollComments.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CURSOR#*'] } },
        }),
      );
      new PollSchedules(this, 'PollSchedules', { sources: polled, pollFunction: pollComments.function });
    }

    this.functions = {
      ingestWebhook,
      processComments,
      readApi,
      sendDigest,
      watchSla,
      dispatchOutbox: this.outbox.function,
      ...(pollComments ? { pollComments } : {}),
      ...(slackInteractions ? { slackInteractions } : {}),
    };

    // ---- HTTP API ------------------------------------------------------------------------------
    this.api = new HttpApi(this, 'HttpApi', {
      description: 'community-autopilot webhooks and KPI reads',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            route: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            bytes: '$context.responseLength',
            integrationError: '$context.integrationErrorMessage',
            caller: '$context.identity.userArn',
          }),
        ),
      },
    });

    // GET answers Meta's and X's subscription handshakes, POST carries the deliveries.
    const webhookRoutes = this.api.addRoutes({
      path: '/webhooks/{source}',
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestWebhookIntegration', ingestWebhook.function),
    });
    for (const route of webhookRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Webhook callers are social platforms that cannot sign AWS requests or hold tokens; every delivery is authenticated by the ingest function with the platform HMAC signature (constant-time compare, timestamp window) and rejected with 401 otherwise.',
      });
    }

    if (slackInteractions) {
      const [route] = this.api.addRoutes({
        path: '/slack/interactions',
        methods: [HttpMethod.POST],
        integration: new HttpLambdaIntegration('SlackInteractionsIntegration', slackInteractions.function),
      });
      if (route) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'The caller is Slack, which cannot sign AWS requests; every click is authenticated by the function with the Slack signing secret (HMAC over the raw body, constant-time compare, 5-minute window) and rejected with 401 otherwise.',
        });
      }
      new CfnOutput(this, 'SlackInteractionsUrl', {
        value: `${this.stage.url}slack/interactions`,
        description: "Put this URL in the Slack app's Interactivity & Shortcuts > Request URL",
      });
    }

    const iamAuthorizer = new HttpIamAuthorizer();
    const readIntegration = new HttpLambdaIntegration('ReadApiIntegration', readApi.function);
    for (const path of READ_ROUTES) {
      this.api.addRoutes({
        path,
        methods: [HttpMethod.GET],
        integration: readIntegration,
        authorizer: iamAuthorizer,
      });
    }

    // ---- schedules and alarms --------------------------------------------------------------------
    new DigestSchedules(this, 'DigestSchedules', {
      communities: config.communities,
      digestFunction: sendDigest.function,
    });
    new SlaWatchSchedules(this, 'SlaWatchSchedules', {
      communities: config.communities,
      watchFunction: watchSla.function,
    });

    const alarms = new OpsAlarms(this, 'OpsAlarms', { emails: communityTeamEmails(config) });
    alarms.watchDeadLetterQueue('CommentsDeadLetterQueueDepth', this.deadLetterQueue);
    alarms.watchDeadLetterQueue(
      'OutboxDeadLetterQueueDepth',
      this.outbox.deadLetterQueue,
      'Outbox entries (notifications) could not be delivered after every retry, or cannot be rendered: read the reason in each message, fix, and replay.',
    );
    for (const [key, fn] of Object.entries(this.functions)) {
      alarms.watchFunction(pascalCase(key), fn.function, fn.node.id);
    }
    this.outbox.reportTo(alarms);
    for (const kind of chat.kinds(config.teams)) {
      alarms.watchCount(
        `Chat${pascalCase(kind)}Failed`,
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: 'ChatFailed',
          dimensionsMap: { service: 'dispatch-outbox', target: kind },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        `Notifications could not be posted to a ${kind} target (gone, refused, or still failing after retries): see the alert mail and the outbox dead-letter queue.`,
      );
    }

    // ---- outputs ---------------------------------------------------------------------------------
    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'WebhookUrl', {
      value: `${this.stage.url}webhooks/{source}`,
      description: 'Give each platform this URL with {source} replaced by the source id',
    });
    for (const path of READ_ROUTES) {
      new CfnOutput(this, `${pascalCase(path)}Url`, {
        value: `${this.stage.url}${path.slice(1)}`,
        description: 'GET, signed with SigV4',
      });
    }
    new CfnOutput(this, 'KpisInvokeArn', {
      value: this.api.arnForExecuteApi('GET', '/kpis'),
      description: 'Allow execute-api:Invoke on this ARN to the IAM principals that may read KPIs',
    });
    new CfnOutput(this, 'ReadApiInvokeArns', {
      value: Fn.join(
        ',',
        READ_ROUTES.map((path) => this.api.arnForExecuteApi('GET', path)),
      ),
      description:
        'Comma-separated: allow execute-api:Invoke on these ARNs to the principals that may use the read API',
    });
    new CfnOutput(this, 'CommentsQueueUrl', { value: this.queue.queueUrl });
    new CfnOutput(this, 'CommentsDeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'OutboxDeadLetterQueueUrl', { value: this.outbox.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    for (const [team, topic] of topics.topics) {
      new CfnOutput(this, `TeamTopic${pascalCase(team)}Arn`, {
        value: topic.topicArn,
        description: `SNS topic of the ${team} team`,
      });
    }
    for (const [target, secret] of chat.secrets) {
      new CfnOutput(this, `ChatSecret${pascalCase(target.replace('/', '-'))}Arn`, {
        value: secret.secretArn,
        description: `Secret of the chat target ${target}: put its webhook URL (or bot token JSON) after deploy`,
      });
    }
    for (const [target, topic] of chat.topics) {
      new CfnOutput(this, `ChatTopic${pascalCase(target.replace('/', '-'))}Arn`, {
        value: topic.topicArn,
        description: `Topic of the Chatbot target ${target}: add it to the channel configuration in Amazon Q Developer in chat applications`,
      });
    }
    for (const [source, secret] of secrets.bySource) {
      new CfnOutput(this, `SourceSecret${pascalCase(source)}Arn`, {
        value: secret.secretArn,
        description: `Secret holding the signing key of the ${source} source: put the real key after deploy`,
      });
    }
  }
}

/**
 * Comprehend for the process function, in a policy of its own so that its Resource "*"
 * acknowledgement covers these actions only (the role's own one is for X-Ray).
 */
function grantComprehend(fn: ServiceFunction): void {
  const policy = new Policy(fn, 'ComprehendPolicy', {
    roles: [fn.role],
    statements: [new PolicyStatement({ actions: [...COMPREHEND_ACTIONS], resources: ['*'] })],
  });
  // The first batch may be classified before CloudFormation attaches a policy nothing depends on.
  fn.function.node.addDependency(policy);
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Comprehend BatchDetectSentiment, BatchDetectDominantLanguage and DetectToxicContent support no resource-level permissions (no resource ARN exists for them), so IAM accepts them only on Resource "*"; the policy holds these three actions and nothing else.',
  });
}

/** Alarm mail goes to the e-mail subscribers of each community's own team (the digest readers). */
function communityTeamEmails(config: AutopilotConfig): string[] {
  const teams = new Set(config.communities.map((c) => c.communityTeam));
  return config.teams
    .filter((team) => teams.has(team.id))
    .flatMap((team) => team.subscriptions.filter((s) => s.protocol === 'email').map((s) => s.endpoint));
}
