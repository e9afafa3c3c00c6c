import { ConfigError } from '../domain/errors.ts';
import { parseConfig } from './parse.ts';
import type { AutopilotConfig } from './schema.ts';

/**
 * In Lambda the validated config is baked into the bundle at synth time (esbuild `define`),
 * so a function never reads a file and can never start with a config that synth did not check.
 */
declare const __AUTOPILOT_CONFIG__: string | undefined;

let cached: AutopilotConfig | undefined;

export function runtimeConfig(): AutopilotConfig {
  if (!cached) {
    if (typeof __AUTOPILOT_CONFIG__ !== 'string') {
      throw new ConfigError(
        'No bundled configuration: a function is built by `cdk synth`, which bakes the checked config in',
      );
    }
    cached = parseConfig(JSON.parse(__AUTOPILOT_CONFIG__), 'the bundled configuration');
  }
  return cached;
}
