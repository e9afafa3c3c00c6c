import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createAutopilotStacks } from '../../infra/stacks/index.ts';
import { loadConfigFile, parseConfig } from '../../shared/config/load.ts';
import type { AutopilotConfig } from '../../shared/config/schema.ts';

export const EXAMPLE_CONFIG_PATH = fileURLToPath(
  new URL('../../config/community-autopilot.yaml', import.meta.url),
);

export const TEAM_QUEUE_ARN = 'arn:aws:sqs:eu-west-1:123456789012:moderation-inbox';

/** The shipped example plus an SQS subscriber, so every subscription protocol is exercised. */
export function exampleConfig(): AutopilotConfig {
  const raw = structuredClone(loadConfigFile(EXAMPLE_CONFIG_PATH)) as AutopilotConfig;
  const moderation = raw.teams.find((t) => t.id === 'moderation');
  if (!moderation) throw new Error('the example config lost its moderation team');
  moderation.subscriptions.push({ protocol: 'sqs', endpoint: TEAM_QUEUE_ARN });
  return parseConfig(raw, 'test config');
}

/** Builds both stacks without bundling (an empty bundling-stacks list skips esbuild: ~0.5 s instead of ~5 s). */
export function buildStacks(config: AutopilotConfig = exampleConfig()) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = createAutopilotStacks(app, config, { region: 'eu-west-1' });
  return { app, config, ...stacks };
}

export function templates(config?: AutopilotConfig) {
  const built = buildStacks(config);
  return {
    ...built,
    dataTemplate: Template.fromStack(built.data),
    serviceTemplate: Template.fromStack(built.service),
  };
}
