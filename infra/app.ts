import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, loadConfigFile } from '../shared/config/load.ts';
import type { AutopilotConfig } from '../shared/config/schema.ts';
import { createAutopilotStacks, environmentFromProcess } from './stacks/index.ts';

// AUTOPILOT_CONFIG picks another file; an invalid one stops synth with the field to fix.
let config: AutopilotConfig;
try {
  config = loadConfigFile();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const app = new App();
createAutopilotStacks(app, config, environmentFromProcess());
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
