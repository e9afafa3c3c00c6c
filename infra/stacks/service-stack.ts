import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import { DigestSchedules } from '../constructs/digest-schedules.ts';
import { pascalCase } from '../constructs/names.ts';
import { OpsAlarms } from '../constructs/ops-alarms.ts';
import { ServiceFunction } from '../constructs/service-function.ts';
import { SourceSecrets } from '../constructs/source-secrets.ts';
import { TeamTopics } from '../constructs/team-topics.ts';

export interface ServiceStackProps extends StackProps {
  readonly config: AutopilotConfig;
  /** The table of the data stack. */
  readonly table: ITable;
}

/** Process function timeout; the queue's visibility timeout is derived from it. */
export const PROCESS_TIMEOUT = Duration.seconds(60);

/** Default stage throttling: generous for webhook bursts, still a ceiling on a runaway caller's bill. */
export const API_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * Everything that follows the configuration and can be redeployed at will: functions, HTTP API,
 * queue, team topics, source secrets (retained), digest schedules and alarms.
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
  };

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    // Strong (export/import) on purpose: CloudFormation then refuses to delete the table while
    // this stack still uses it. The table is the only value crossing stacks and rarely changes.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, table } = props;

    const topics = new TeamTopics(this, 'TeamTopics', { teams: config.teams });
    const secrets = new SourceSecrets(this, 'SourceSecrets', { sources: config.sources });

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
      environment: { QUEUE_URL: this.queue.queueUrl, SOURCE_SECRETS: secrets.arnsJson() },
    });
    this.queue.grantSendMessages(ingestWebhook.function);
    secrets.grantRead(ingestWebhook.function);

    const processComments = new ServiceFunction(this, 'ProcessComments', {
      name: 'process-comments',
      description: 'Dedupes, classifies, routes and records queued comments',
      config,
      memorySize: 1024,
      timeout: PROCESS_TIMEOUT,
      environment: { TABLE_NAME: table.tableName, TEAM_TOPICS: topics.arnsJson() },
    });
    table.grantReadWriteData(processComments.function);
    topics.grantPublish(processComments.function);
    processComments.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(2),
        reportBatchItemFailures: true,
      }),
    );

    const readApi = new ServiceFunction(this, 'ReadApi', {
      name: 'read-api',
      description: 'Serves KPI reads (GET /kpis) to IAM-authenticated callers',
      config,
      timeout: Duration.seconds(10),
      environment: { TABLE_NAME: table.tableName },
    });
    table.grantReadData(readApi.function);

    const sendDigest = new ServiceFunction(this, 'SendDigest', {
      name: 'send-digest',
      description: "Publishes a community's daily KPI digest to its community team",
      config,
      timeout: Duration.seconds(60),
      environment: { TABLE_NAME: table.tableName, TEAM_TOPICS: topics.arnsJson() },
    });
    table.grantReadData(sendDigest.function);
    topics.grantPublish(sendDigest.function);

    this.functions = { ingestWebhook, processComments, readApi, sendDigest };

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

    const iamAuthorizer = new HttpIamAuthorizer();
    // More read routes (GET /members/top, ...) join here with the same authorizer.
    this.api.addRoutes({
      path: '/kpis',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('ReadApiIntegration', readApi.function),
      authorizer: iamAuthorizer,
    });

    // ---- schedules and alarms --------------------------------------------------------------------
    new DigestSchedules(this, 'DigestSchedules', {
      communities: config.communities,
      digestFunction: sendDigest.function,
    });

    const alarms = new OpsAlarms(this, 'OpsAlarms', { emails: communityTeamEmails(config) });
    alarms.watchDeadLetterQueue('CommentsDeadLetterQueueDepth', this.deadLetterQueue);
    for (const [key, fn] of Object.entries(this.functions)) {
      alarms.watchFunction(pascalCase(key), fn.function, fn.node.id);
    }

    // ---- outputs ---------------------------------------------------------------------------------
    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'WebhookUrl', {
      value: `${this.stage.url}webhooks/{source}`,
      description: 'Give each platform this URL with {source} replaced by the source id',
    });
    new CfnOutput(this, 'KpisUrl', { value: `${this.stage.url}kpis`, description: 'GET, signed with SigV4' });
    new CfnOutput(this, 'KpisInvokeArn', {
      value: this.api.arnForExecuteApi('GET', '/kpis'),
      description: 'Allow execute-api:Invoke on this ARN to the IAM principals that may read KPIs',
    });
    new CfnOutput(this, 'CommentsQueueUrl', { value: this.queue.queueUrl });
    new CfnOutput(this, 'CommentsDeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    for (const [team, topic] of topics.topics) {
      new CfnOutput(this, `TeamTopic${pascalCase(team)}Arn`, {
        value: topic.topicArn,
        description: `SNS topic of the ${team} team`,
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

/** Alarm mail goes to the e-mail subscribers of each community's own team (the digest readers). */
function communityTeamEmails(config: AutopilotConfig): string[] {
  const teams = new Set(config.communities.map((c) => c.communityTeam));
  return config.teams
    .filter((team) => teams.has(team.id))
    .flatMap((team) => team.subscriptions.filter((s) => s.protocol === 'email').map((s) => s.endpoint));
}
