import type { App, Environment } from 'aws-cdk-lib';
import type { AutopilotConfig } from '../../shared/config/schema.ts';
import { DataStack } from './data-stack.ts';
import { ServiceStack } from './service-stack.ts';

export const DATA_STACK_ID = 'CommunityAutopilotData';
export const SERVICE_STACK_ID = 'CommunityAutopilotService';

/** Region from the CDK CLI or the SDK environment; eu-west-1 when neither is set. The account may stay unresolved. */
export function environmentFromProcess(env: NodeJS.ProcessEnv = process.env): Environment {
  return {
    region: env.CDK_DEFAULT_REGION ?? env.AWS_REGION ?? 'eu-west-1',
    ...(env.CDK_DEFAULT_ACCOUNT ? { account: env.CDK_DEFAULT_ACCOUNT } : {}),
  };
}

export function createAutopilotStacks(app: App, config: AutopilotConfig, env: Environment) {
  const description = 'community-autopilot: classify, route and measure community comments';
  const data = new DataStack(app, DATA_STACK_ID, { env, description: `${description} (data)` });
  const service = new ServiceStack(app, SERVICE_STACK_ID, {
    env,
    description: `${description} (service)`,
    config,
    table: data.table,
  });
  return { data, service };
}
