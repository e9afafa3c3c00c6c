import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AutopilotConfig } from '../../shared/config/schema.ts';

/** Repository root: esbuild resolves `functions/…` and `shared/…` from here, and the lock file lives here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const METRICS_NAMESPACE = 'CommunityAutopilot';

// ESM bundles cannot `require`; some CommonJS dependencies (and their transitive deps) still do.
export const ESM_REQUIRE_SHIM =
  "import { createRequire as __autopilotCreateRequire } from 'node:module';" +
  'const require = __autopilotCreateRequire(import.meta.url);';

/** The esbuild settings of every function bundle (the bench rebuilds variants with the same ones). */
export const FUNCTION_BUNDLING = {
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_SHIM,
  minify: true,
};

export interface ServiceFunctionProps {
  /** Folder under functions/ (verb-noun); the entry is functions/<name>/handler.ts, export `handler`. */
  readonly name: string;
  readonly description: string;
  /** The validated configuration, baked into the bundle so the function never reads a file. */
  readonly config: AutopilotConfig;
  readonly environment?: Record<string, string>;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** Caps (and reserves) the function's concurrency. @default none: the account's unreserved pool */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The one way this project defines a Lambda function: Node.js 22 on ARM64, an ESM bundle built
 * locally by esbuild (no Docker), source maps, active tracing, an explicit log group with a
 * retention, Powertools settings, and a role that holds only what the caller grants.
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Logs hold no state the service needs; they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role instead of AWSLambdaBasicExecutionRole: that managed policy lets the
    // function write to any log group, this one may write only to its own.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.name} function`,
    });
    this.logGroup.grant(this.role, 'logs:CreateLogStream', 'logs:PutLogEvents');

    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: `${PROJECT_ROOT}functions/${props.name}/handler.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        ...FUNCTION_BUNDLING,
        sourceMap: true,
        // Bundle the SDK: the clients run in Lambda at the exact versions the tests ran with, and a
        // bundled SDK starts faster than the runtime's unbundled one (npm run bench measures both).
        bundleAwsSDK: true,
        define: { __AUTOPILOT_CONFIG__: JSON.stringify(JSON.stringify(props.config)) },
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray only supports on Resource "*".',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is the runtime the project targets and tests (Powertools 2.35, middy 6); moving to nodejs24.x is a deliberate upgrade, not a drift to follow automatically.',
    });
  }
}
