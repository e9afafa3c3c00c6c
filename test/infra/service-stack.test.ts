import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { COMPREHEND_ACTIONS } from '../../infra/stacks/service-stack.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import { exampleConfig, TEAM_QUEUE_ARN, templates } from './synth.ts';

type Resource = {
  Type: string;
  Properties: Record<string, unknown> & { Environment?: { Variables?: Record<string, unknown> } };
};

function lambdaFunctions(template: Template): Record<string, Resource> {
  return template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
}

/** The function whose POWERTOOLS_SERVICE_NAME is `name`, with its logical id. */
function serviceFunction(template: Template, name: string): [string, Resource] {
  const found = Object.entries(lambdaFunctions(template)).find(
    ([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === name,
  );
  if (!found) throw new Error(`no function named ${name}`);
  return found;
}

function variables(template: Template, name: string): Record<string, unknown> {
  return serviceFunction(template, name)[1].Properties.Environment?.Variables ?? {};
}

/** Policies attached to the role of a function, flattened to their statements. */
function statementsOf(template: Template, name: string): Array<Record<string, unknown>> {
  const role = (serviceFunction(template, name)[1].Properties.Role as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    {
      Properties: {
        Roles: Array<{ Ref: string }>;
        PolicyDocument: { Statement: Array<Record<string, unknown>> };
      };
    }
  >;
  return Object.values(policies)
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function actionsOf(template: Template, name: string): string[] {
  return statementsOf(template, name).flatMap((s) => [s.Action].flat() as string[]);
}

/** The Scheduler schedules whose target is the function named `name`. */
function schedulesOf(template: Template, name: string): Array<{ Properties: Record<string, unknown> }> {
  const [id] = serviceFunction(template, name);
  const schedules = template.findResources('AWS::Scheduler::Schedule', {
    Properties: { Target: { Arn: { 'Fn::GetAtt': [id, 'Arn'] } } },
  });
  return Object.values(schedules) as Array<{ Properties: Record<string, unknown> }>;
}

/** The secret resources whose ARN a function's statements grant `secretsmanager:GetSecretValue` on. */
function secretsReadBy(template: Template, name: string): string[] {
  return statementsOf(template, name)
    .filter((s) => ([s.Action].flat() as string[]).includes('secretsmanager:GetSecretValue'))
    .map((s) => (s.Resource as { Ref: string }).Ref)
    .sort();
}

/** Logical id of the secret of each source id. */
function secretIdsOf(template: Template, sourceIds: readonly string[], config: AutopilotConfig): string[] {
  const secrets = template.findResources('AWS::SecretsManager::Secret');
  return sourceIds
    .map((id) => {
      const name = config.sources.find((s) => s.id === id)?.secretName;
      const found = Object.entries(secrets).find(([, secret]) => secret.Properties.Name === name);
      if (!found) throw new Error(`no secret for source ${id}`);
      return found[0];
    })
    .sort();
}

const POLLED_TYPES = new Set(['youtube', 'reddit']);

/** The example configuration with the Comprehend cascade switched on for every community. */
function comprehendConfig(): AutopilotConfig {
  const config = structuredClone(exampleConfig());
  for (const community of config.communities) {
    community.classifier = { comprehend: 'when-uncertain', region: 'eu-west-1' };
  }
  return config;
}

describe('ServiceStack', () => {
  const { serviceTemplate: template, config } = templates();

  describe('functions', () => {
    it('runs the eight functions on nodejs22.x arm64 with active tracing', () => {
      const functions = Object.values(lambdaFunctions(template));
      const services = functions
        .map((fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
        .sort();
      expect(services).toEqual([
        'dispatch-outbox',
        'ingest-webhook',
        'poll-comments',
        'process-comments',
        'read-api',
        'send-digest',
        'slack-interactions',
        'watch-sla',
      ]);
      for (const fn of functions) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Handler: 'index.handler',
        });
        expect(fn.Properties.Environment?.Variables).toMatchObject({
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_METRICS_NAMESPACE: 'CommunityAutopilot',
        });
      }
    });

    it('gives each function its own log group with a retention', () => {
      const groups = template.findResources('AWS::Logs::LogGroup');
      for (const [, fn] of Object.entries(lambdaFunctions(template))) {
        const ref = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(groups[ref]?.Properties.RetentionInDays).toBe(30);
      }
    });

    it('attaches no AWS managed policy to the function roles', () => {
      const roles = Object.values(template.findResources('AWS::IAM::Role'));
      for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });

    it('passes the ingest function the queue URL and the secret ARNs by source id', () => {
      const env = variables(template, 'ingest-webhook');
      expect(Object.keys(env).sort()).toEqual(
        [
          'NODE_OPTIONS',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_SERVICE_NAME',
          'QUEUE_URL',
          'SOURCE_SECRETS',
        ].sort(),
      );
      const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
      expect(env.QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^CommentsQueue/) });
      expect(JSON.stringify(env.SOURCE_SECRETS)).toContain(`{"Ref":"${secretId}"}`);
      expect(JSON.stringify(env.SOURCE_SECRETS)).toContain('{\\"generic\\":\\"');
    });

    it('gives the ingest function the secrets of webhook sources only, never those of polled sources', () => {
      const webhook = config.sources.filter((s) => !POLLED_TYPES.has(s.type)).map((s) => s.id);
      const polled = config.sources.filter((s) => POLLED_TYPES.has(s.type)).map((s) => s.id);

      const env = JSON.stringify(variables(template, 'ingest-webhook').SOURCE_SECRETS);
      const granted = secretsReadBy(template, 'ingest-webhook');

      expect(webhook.sort()).toEqual(['discourse', 'generic', 'github', 'meta', 'slack', 'x']);
      for (const id of webhook) expect(env).toContain(`\\"${id}\\":\\"`);
      for (const id of polled) expect(env).not.toContain(`\\"${id}\\"`);
      expect(granted).toEqual(secretIdsOf(template, webhook, config));
    });

    it('lets the ingest function send to the queue and read secrets, and nothing in DynamoDB or SNS', () => {
      const actions = actionsOf(template, 'ingest-webhook');
      expect(actions).toEqual(expect.arrayContaining(['sqs:SendMessage', 'secretsmanager:GetSecretValue']));
      expect(actions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('sns:'))).toEqual([]);
    });

    it('passes the topic ARN of every team to the outbox dispatcher only', () => {
      const env = variables(template, 'dispatch-outbox');
      const topics = JSON.stringify(env.TEAM_TOPICS);
      for (const team of config.teams) expect(topics).toContain(`\\"${team.id}\\":\\"`);
      for (const name of ['process-comments', 'send-digest', 'watch-sla']) {
        expect(variables(template, name).TABLE_NAME).toEqual({
          'Fn::ImportValue': expect.stringContaining('Table'),
        });
        expect(variables(template, name).TEAM_TOPICS, name).toBeUndefined();
      }
    });

    it('lets only the outbox dispatcher publish to the team topics', () => {
      const publishers = Object.values(lambdaFunctions(template))
        .map((fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME as string)
        .filter((name) => actionsOf(template, name).includes('sns:Publish'));

      expect(publishers).toEqual(['dispatch-outbox']);
    });

    it('feeds the outbox dispatcher the table stream in order, retried, bisected, then dead-lettered', () => {
      const [dispatchId] = serviceFunction(template, 'dispatch-outbox');
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: dispatchId },
        EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('StreamArn') },
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: {
            Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OutboxDeadLetterQueue'), 'Arn'] },
          },
        },
      });
    });

    it('lets the outbox dispatcher write only its attempt, delivery and broken-target records', () => {
      const writes = statementsOf(template, 'dispatch-outbox').filter((s) =>
        ([s.Action].flat() as string[]).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)),
      );
      expect(writes).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:PutItem',
          Condition: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': ['DISPATCH#*', 'DELIVERY#*', 'CHATTARGET#*'],
            },
          },
        }),
      ]);
    });

    it('lets the process function write the table, and the read API only read', () => {
      expect(actionsOf(template, 'process-comments')).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
      );
      const readActions = actionsOf(template, 'read-api');
      expect(readActions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']));
      expect(readActions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
      expect(variables(template, 'read-api').TABLE_NAME).toBeDefined();
    });

    it('gives the SLA watcher read/write on the table and nothing else', () => {
      const actions = actionsOf(template, 'watch-sla');

      expect(actions).toEqual(
        expect.arrayContaining([
          'dynamodb:Query',
          'dynamodb:GetItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]),
      );
      expect(
        actions.filter(
          (a) => a.startsWith('secretsmanager:') || a.startsWith('sqs:') || a.startsWith('sns:'),
        ),
      ).toEqual([]);
    });

    it('runs at most one SLA watcher at a time, with a 2-minute timeout', () => {
      const [, watchFn] = serviceFunction(template, 'watch-sla');

      expect(watchFn.Properties.ReservedConcurrentExecutions).toBe(1);
      expect(watchFn.Properties.Timeout).toBe(120);
    });

    it('drops a failed or long-throttled SLA watch run instead of retrying it', () => {
      const [watchId] = serviceFunction(template, 'watch-sla');

      const configs = Object.values(
        template.findResources('AWS::Lambda::EventInvokeConfig', {
          Properties: { FunctionName: { Ref: watchId } },
        }),
      );
      expect(configs).toHaveLength(1);
      const { MaximumRetryAttempts, MaximumEventAgeInSeconds } = configs[0]?.Properties ?? {};
      expect(MaximumRetryAttempts).toBe(0);
      // Older than a few runs of the every-minute schedule, a run is dropped (Lambda's minimum is 60 s).
      expect(MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(MaximumEventAgeInSeconds).toBeLessThan(5 * 60);
    });

    it('reserves concurrency for no other function', () => {
      const reserved = Object.values(lambdaFunctions(template))
        .filter((fn) => fn.Properties.ReservedConcurrentExecutions !== undefined)
        .map((fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);

      expect(reserved).toEqual(['watch-sla']);
    });

    it('lets the digest function read the table and write only its once-records', () => {
      const statements = statementsOf(template, 'send-digest');
      const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']));
      expect(actions.filter((a) => a.startsWith('sns:'))).toEqual([]);

      const writes = statements.filter((s) =>
        ([s.Action].flat() as string[]).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)),
      );
      expect(writes).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:PutItem',
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ONCE#*'] } },
        }),
      ]);
    });

    it('grants no Comprehend action when every community has the classifier cascade off', () => {
      expect(config.communities.map((c) => c.classifier.comprehend)).toEqual(['off']);

      const comprehend = Object.values(lambdaFunctions(template)).flatMap((fn) =>
        actionsOf(template, fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME as string).filter(
          (a) => a.startsWith('comprehend:'),
        ),
      );

      expect(comprehend).toEqual([]);
    });

    it('grants the process function the three Comprehend detect actions when a community uses Comprehend', () => {
      const { serviceTemplate } = templates(comprehendConfig());

      const statements = statementsOf(serviceTemplate, 'process-comments').filter((s) =>
        ([s.Action].flat() as string[]).some((a) => a.startsWith('comprehend:')),
      );

      expect(statements).toEqual([
        expect.objectContaining({ Effect: 'Allow', Action: [...COMPREHEND_ACTIONS], Resource: '*' }),
      ]);
      for (const other of ['ingest-webhook', 'read-api', 'send-digest', 'watch-sla', 'poll-comments']) {
        expect(
          actionsOf(serviceTemplate, other).filter((a) => a.startsWith('comprehend:')),
          other,
        ).toEqual([]);
      }
    });

    it('puts no secret value in any function environment', () => {
      for (const [id, fn] of Object.entries(lambdaFunctions(template))) {
        const env = JSON.stringify(fn.Properties.Environment ?? {});
        expect(env, id).not.toMatch(/resolve:secretsmanager|resolve:ssm-secure|SecretString|dev-secret-/);
        expect(env, id).not.toMatch(/"[^"]*(SECRET|KEY|TOKEN|PASSWORD)[^"]*":"[^{]/i);
      }
    });
  });

  describe('queue', () => {
    it('redrives a comment to the dead-letter queue after 5 receives', () => {
      template.resourceCountIs('AWS::SQS::Queue', 3);
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CommentsDeadLetterQueue'), 'Arn'] },
          maxReceiveCount: 5,
        },
        SqsManagedSseEnabled: true,
      });
    });

    it('keeps a message invisible for at least 6 times the process timeout', () => {
      const withRedrive = Object.values(template.findResources('AWS::SQS::Queue')).filter(
        (q) => q.Properties.RedrivePolicy,
      );
      expect(withRedrive).toHaveLength(1);
      const [, processFn] = serviceFunction(template, 'process-comments');
      const timeout = processFn.Properties.Timeout as number;
      expect(timeout).toBeGreaterThan(0);
      expect(withRedrive[0]?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    });

    it('denies non-TLS access to the three queues', () => {
      template.resourcePropertiesCountIs(
        'AWS::SQS::QueuePolicy',
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        },
        3,
      );
    });

    it('feeds the process function batches of 10 with partial batch failures', () => {
      const [processId] = serviceFunction(template, 'process-comments');
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: processId },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });
  });

  describe('HTTP API', () => {
    it('routes GET and POST /webhooks/{source} to the ingest function without AWS auth', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
      for (const method of ['GET', 'POST']) {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: `${method} /webhooks/{source}`,
          AuthorizationType: 'NONE',
        });
      }
    });

    it('requires IAM authorization on every read route and sends them all to the read-api function', () => {
      const [readApiId] = serviceFunction(template, 'read-api');
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));

      for (const path of ['/communities', '/kpis', '/members/top', '/threads/open']) {
        const route = routes.find((r) => r.Properties.RouteKey === `GET ${path}`);
        expect(route?.Properties.AuthorizationType, path).toBe('AWS_IAM');
        const target = JSON.stringify(route?.Properties.Target);
        const integrationId = Object.keys(integrations).find((id) => target.includes(`"${id}"`));
        expect(integrationId, path).toBeDefined();
        expect(integrations[integrationId as string]?.Properties.IntegrationUri).toEqual({
          'Fn::GetAtt': [readApiId, 'Arn'],
        });
      }
    });

    it('exposes no route other than the webhooks, the four read routes and the Slack interactions', () => {
      const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
        .map((r) => r.Properties.RouteKey as string)
        .sort();

      expect(keys).toEqual([
        'GET /communities',
        'GET /kpis',
        'GET /members/top',
        'GET /threads/open',
        'GET /webhooks/{source}',
        'POST /slack/interactions',
        'POST /webhooks/{source}',
      ]);
    });

    it('throttles the default stage and writes JSON access logs', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context\\.requestId'),
        },
      });
    });
  });

  describe('team topics', () => {
    it('creates one SSL-only, encrypted topic per configured team and Chatbot target, plus the alarm topic', () => {
      const topics =
        config.teams.length +
        config.teams.flatMap((t) => t.chat).filter((c) => c.type === 'chatbot').length +
        1;
      template.resourceCountIs('AWS::SNS::Topic', topics);
      template.resourcePropertiesCountIs(
        'AWS::SNS::Topic',
        { KmsMasterKeyId: Match.anyValue(), DisplayName: Match.anyValue() },
        topics,
      );
      for (const team of config.teams) {
        template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: team.name });
      }
      template.resourcePropertiesCountIs(
        'AWS::SNS::TopicPolicy',
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        },
        topics,
      );
    });

    it('subscribes every configured e-mail, HTTPS and SQS endpoint to its team topic', () => {
      for (const team of config.teams) {
        for (const sub of team.subscriptions) {
          template.hasResourceProperties('AWS::SNS::Subscription', {
            Protocol: sub.protocol,
            Endpoint: sub.endpoint,
          });
        }
      }
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', Endpoint: TEAM_QUEUE_ARN });
    });
  });

  describe('digest schedules', () => {
    it('invokes the digest function daily at the digest hour in each community time zone', () => {
      const [digestId] = serviceFunction(template, 'send-digest');
      expect(schedulesOf(template, 'send-digest')).toHaveLength(2 * config.communities.length);
      for (const community of config.communities) {
        template.hasResourceProperties('AWS::Scheduler::Schedule', {
          ScheduleExpression: `cron(0 ${community.digestHour} * * ? *)`,
          ScheduleExpressionTimezone: community.timezone,
          State: 'ENABLED',
          Target: {
            Arn: { 'Fn::GetAtt': [digestId, 'Arn'] },
            Input: JSON.stringify({ community: community.id, kind: 'daily' }),
          },
        });
      }
    });

    it('invokes the digest function weekly on Monday at the digest hour in each community time zone', () => {
      const [digestId] = serviceFunction(template, 'send-digest');

      const weekly = schedulesOf(template, 'send-digest').filter((s) =>
        String((s.Properties.Target as { Input: string }).Input).includes('"weekly"'),
      );

      expect(weekly).toHaveLength(config.communities.length);
      for (const community of config.communities) {
        template.hasResourceProperties('AWS::Scheduler::Schedule', {
          ScheduleExpression: `cron(0 ${community.digestHour} ? * MON *)`,
          ScheduleExpressionTimezone: community.timezone,
          State: 'ENABLED',
          Target: {
            Arn: { 'Fn::GetAtt': [digestId, 'Arn'] },
            Input: JSON.stringify({ community: community.id, kind: 'weekly' }),
          },
        });
      }
    });

    it('schedules each community digest in its own time zone and hour', () => {
      const config = structuredClone(exampleConfig());
      const [first] = config.communities;
      if (!first) throw new Error('the example config has no community');
      config.communities.push({
        ...structuredClone(first),
        id: 'bike-club',
        name: 'Bike Club',
        timezone: 'America/New_York',
        digestHour: 17,
      });
      const { serviceTemplate } = templates(config);

      const expressions = schedulesOf(serviceTemplate, 'send-digest')
        .map((s) => {
          const input = JSON.parse((s.Properties.Target as { Input: string }).Input) as Record<
            string,
            string
          >;
          return `${input.community} ${input.kind} ${s.Properties.ScheduleExpression} ${s.Properties.ScheduleExpressionTimezone}`;
        })
        .sort();

      expect(expressions).toEqual([
        'bike-club daily cron(0 17 * * ? *) America/New_York',
        'bike-club weekly cron(0 17 ? * MON *) America/New_York',
        'velo-lumiere daily cron(0 8 * * ? *) Europe/Paris',
        'velo-lumiere weekly cron(0 8 ? * MON *) Europe/Paris',
      ]);
    });
  });

  describe('SLA watch schedules', () => {
    it('invokes the SLA watcher for all communities every 5 minutes, once, without retries', () => {
      const [watchId] = serviceFunction(template, 'watch-sla');

      // One schedule whatever the number of communities: the watcher has reserved concurrency 1.
      expect(schedulesOf(template, 'watch-sla')).toHaveLength(1);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [watchId, 'Arn'] },
          Input: JSON.stringify({}),
          RetryPolicy: { MaximumRetryAttempts: 0 },
        },
      });
    });

    it('lets the scheduler invoke the SLA watcher only through a role of its own', () => {
      const [watchId] = serviceFunction(template, 'watch-sla');
      const [schedule] = schedulesOf(template, 'watch-sla');
      if (!schedule) throw new Error('no SLA watch schedule');
      const target = schedule.Properties.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } };
      const roleId = target.RoleArn['Fn::GetAtt'][0];
      const policies = Object.values(
        template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
      );

      const statements = policies.flatMap(
        (p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>,
      );

      expect(statements).toEqual([
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Resource: [{ 'Fn::GetAtt': [watchId, 'Arn'] }, expect.anything()],
        }),
      ]);
    });
  });

  describe('pollers', () => {
    const polled = config.sources.filter((s) => s.type === 'youtube' || s.type === 'reddit');

    it('polls each polled source on its own schedule at its pollMinutes rate', () => {
      const [pollId] = serviceFunction(template, 'poll-comments');
      const schedules = template.findResources('AWS::Scheduler::Schedule', {
        Properties: { Target: { Arn: { 'Fn::GetAtt': [pollId, 'Arn'] } } },
      });
      expect(polled.map((s) => s.id).sort()).toEqual(['reddit', 'youtube']);
      expect(Object.keys(schedules)).toHaveLength(polled.length);
      for (const source of polled) {
        const minutes = (source.options.pollMinutes as number | undefined) ?? 5;
        template.hasResourceProperties('AWS::Scheduler::Schedule', {
          ScheduleExpression: `rate(${minutes} minute${minutes === 1 ? '' : 's'})`,
          State: 'ENABLED',
          Target: {
            Arn: { 'Fn::GetAtt': [pollId, 'Arn'] },
            Input: JSON.stringify({ source: source.id }),
            RetryPolicy: { MaximumRetryAttempts: 0 },
          },
        });
      }
    });

    it('defaults to a 5-minute rate when pollMinutes is not set', () => {
      const config: AutopilotConfig = structuredClone(exampleConfig());
      for (const source of config.sources) delete source.options.pollMinutes;
      const { serviceTemplate } = templates(config);

      const rates = Object.values(serviceTemplate.findResources('AWS::Scheduler::Schedule'))
        .map((s) => s.Properties.ScheduleExpression as string)
        .filter((e) => e.startsWith('rate('));

      // The two polled sources, then the SLA watch.
      expect(rates).toEqual(['rate(5 minutes)', 'rate(5 minutes)', 'rate(5 minutes)']);
    });

    it('passes the poll function the queue, the table and only the polled sources secrets', () => {
      const env = variables(template, 'poll-comments');
      const [, pollFn] = serviceFunction(template, 'poll-comments');

      expect(env.QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^CommentsQueue/) });
      expect(env.TABLE_NAME).toEqual({ 'Fn::ImportValue': expect.stringContaining('Table') });
      const secrets = JSON.stringify(env.SOURCE_SECRETS);
      expect(secrets).toContain('{\\"youtube\\":\\"');
      expect(secrets).toContain('\\"reddit\\":\\"');
      expect(secrets).not.toContain('\\"slack\\"');
      // A poll run ends before the next one starts (the schedules run every 5 minutes).
      expect(pollFn.Properties.Timeout).toBeGreaterThan(0);
      expect(pollFn.Properties.Timeout).toBeLessThan(5 * 60);
    });

    it('lets the poll function send to the queue, read its two secrets and touch only cursor items', () => {
      const statements = statementsOf(template, 'poll-comments');
      const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
      const secretReads = statements.filter((s) =>
        ([s.Action].flat() as string[]).includes('secretsmanager:GetSecretValue'),
      );
      const dynamo = statements.filter((s) =>
        ([s.Action].flat() as string[]).some((a) => a.startsWith('dynamodb:')),
      );

      expect(actions).toEqual(expect.arrayContaining(['sqs:SendMessage']));
      expect(actions.filter((a) => a.startsWith('sns:'))).toEqual([]);
      expect(secretReads).toHaveLength(polled.length);
      expect(dynamo).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CURSOR#*'] } },
        }),
      ]);
    });

    it('creates no poll function or poll schedule when no source is polled', () => {
      const config: AutopilotConfig = structuredClone(exampleConfig());
      config.sources = config.sources.filter((s) => s.type !== 'youtube' && s.type !== 'reddit');
      const { serviceTemplate } = templates(config);

      const services = Object.values(lambdaFunctions(serviceTemplate)).map(
        (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
      );

      expect(services).not.toContain('poll-comments');
      // Per community: the daily and weekly digests and the SLA watch.
      serviceTemplate.resourceCountIs('AWS::Scheduler::Schedule', 3 * config.communities.length);
    });
  });

  describe('alarms', () => {
    it('alarms as soon as one message sits in the dead-letter queue', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CommentsDeadLetterQueue'), 'QueueName'] },
          },
        ],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsAlarmsTopic') }],
      });
    });

    it('alarms on errors and throttles of every function', () => {
      for (const [id] of Object.entries(lambdaFunctions(template))) {
        for (const metric of ['Errors', 'Throttles']) {
          template.hasResourceProperties('AWS::CloudWatch::Alarm', {
            MetricName: metric,
            Namespace: 'AWS/Lambda',
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
          });
        }
      }
    });

    it('lets CloudWatch use the alarm topic key and mails the community team', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'communaute@velo-lumiere.example',
        TopicArn: { Ref: Match.stringLikeRegexp('^OpsAlarmsTopic') },
      });
    });
  });

  describe('secrets and outputs', () => {
    it('creates one retained secret per configured secret name, with a generated placeholder', () => {
      const chatSecrets = config.teams.flatMap((t) =>
        t.chat.flatMap((c) => ('secretName' in c ? [c.secretName] : [])),
      );
      template.resourceCountIs(
        'AWS::SecretsManager::Secret',
        new Set([...config.sources.map((s) => s.secretName), ...chatSecrets]).size,
      );
      template.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: {
          Name: 'community-autopilot/sources/generic',
          GenerateSecretString: Match.objectLike({ PasswordLength: 48 }),
        },
      });
      for (const secret of Object.values(template.findResources('AWS::SecretsManager::Secret'))) {
        expect(secret.Properties.SecretString).toBeUndefined();
      }
    });

    it('outputs the API URL, queue URL and one topic ARN per team', () => {
      const outputs = Object.keys(template.findOutputs('*'));
      expect(outputs).toEqual(
        expect.arrayContaining([
          'ApiUrl',
          'WebhookUrl',
          'CommunitiesUrl',
          'KpisUrl',
          'MembersTopUrl',
          'ThreadsOpenUrl',
          'KpisInvokeArn',
          'ReadApiInvokeArns',
          'CommentsQueueUrl',
          'AlarmTopicArn',
        ]),
      );
      for (const id of [
        'TeamTopicSupportArn',
        'TeamTopicProductArn',
        'TeamTopicModerationArn',
        'TeamTopicCommunityArn',
      ]) {
        expect(outputs).toContain(id);
      }
    });
  });
});

describe('chat targets in the service stack', () => {
  const { serviceTemplate: template } = templates();
  const arnsOf = (value: unknown) => JSON.stringify(value);

  it('gives the dispatcher the chat secrets and topics by target, and the alarm topic', () => {
    const env = variables(template, 'dispatch-outbox');

    expect(arnsOf(env.CHAT_SECRETS)).toContain('support/slack');
    expect(arnsOf(env.CHAT_SECRETS)).toContain('support/teams');
    expect(arnsOf(env.CHAT_TOPICS)).toContain('moderation/chatbot');
    expect(env.ALARM_TOPIC_ARN).toBeDefined();
  });

  it('lets only the dispatcher read the chat secrets, and no other secret', () => {
    const secrets = Object.entries(template.findResources('AWS::SecretsManager::Secret'))
      .filter(([, s]) => String(s.Properties.Name).startsWith('community-autopilot/chat/'))
      .map(([id]) => id);
    const reads = (name: string) =>
      statementsOf(template, name)
        .filter((s) => ([s.Action].flat() as string[]).includes('secretsmanager:GetSecretValue'))
        .map((s) => JSON.stringify(s.Resource));

    expect(secrets).toHaveLength(2);
    expect(reads('dispatch-outbox').sort()).toEqual(secrets.map((id) => JSON.stringify({ Ref: id })).sort());
    for (const fn of ['ingest-webhook', 'process-comments', 'read-api']) {
      expect(reads(fn).some((r) => secrets.some((id) => r.includes(id)))).toBe(false);
    }
  });

  it('lets the dispatcher publish to the alarm topic with the two KMS actions publishing needs', () => {
    const kms = statementsOf(template, 'dispatch-outbox').filter((s) =>
      ([s.Action].flat() as string[]).some((a) => a.startsWith('kms:')),
    );

    expect(kms.map((s) => s.Action)).toEqual([['kms:GenerateDataKey', 'kms:Decrypt']]);
  });

  it('routes POST /slack/interactions to its own function, which reads only the Slack source secret', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /slack/interactions',
      AuthorizationType: 'NONE',
    });
    expect(
      Object.keys(JSON.parse(JSON.stringify(variables(template, 'slack-interactions').SOURCE_SECRETS))),
    ).toBeDefined();
    expect(JSON.stringify(variables(template, 'slack-interactions').SOURCE_SECRETS)).toContain('slack');
    expect(JSON.stringify(variables(template, 'slack-interactions').SOURCE_SECRETS)).not.toContain('generic');
  });

  it('lets the interactions function touch only items, open markers, counters and feedback', () => {
    const writes = statementsOf(template, 'slack-interactions').filter((s) =>
      ([s.Action].flat() as string[]).some((a) => a.startsWith('dynamodb:')),
    );

    expect(writes).toEqual([
      expect.objectContaining({
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': ['THREAD#*', 'OPEN#*', 'KPI#*', 'FEEDBACK#*'],
          },
        },
      }),
    ]);
  });

  it('alarms on failed posts for each kind of chat target configured', () => {
    for (const target of ['slack', 'teams', 'chatbot']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ChatFailed',
        Namespace: 'CommunityAutopilot',
        Dimensions: Match.arrayWith([{ Name: 'target', Value: target }]),
        Threshold: 0,
      });
    }
  });
});
