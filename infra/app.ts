import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfigOrExit } from '../shared/config/load.ts';
import { createAutopilotStacks, environmentFromProcess } from './stacks/index.ts';

// AUTOPILOT_CONFIG picks another file; an invalid one stops synth with the field to fix.
const config = loadConfigOrExit();

const app = new App();
createAutopilotStacks(app, config, environmentFromProcess());
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
