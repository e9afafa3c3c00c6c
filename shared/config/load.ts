import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../domain/errors.ts';
import { validateSourceOptions } from '../platforms/source-options.ts';
import { AutopilotConfig } from './schema.ts';

// Re-exported: callers have always imported it from here.
export { ConfigError };

export const DEFAULT_CONFIG_PATH = 'config/community-autopilot.yaml';

/** Formats zod issues as `path.to.field: message` lines, so a user knows which field to fix. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}

export function parseConfig(raw: unknown, origin: string): AutopilotConfig {
  const result = AutopilotConfig.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`Invalid configuration in ${origin}:\n${describeIssues(result.error)}`);
  }
  // Each source type validates its own options (the schema module stays free of platform imports).
  const optionIssues = validateSourceOptions(result.data);
  if (optionIssues.length) {
    const lines = optionIssues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n');
    throw new ConfigError(`Invalid configuration in ${origin}:\n${lines}`);
  }
  return result.data;
}

export function loadConfigFile(path = process.env.AUTOPILOT_CONFIG ?? DEFAULT_CONFIG_PATH): AutopilotConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (cause) {
    throw new ConfigError(`Cannot read configuration file ${absolute}`, { cause });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    throw new ConfigError(`Configuration file ${absolute} is not valid YAML: ${(cause as Error).message}`);
  }
  return parseConfig(raw, absolute);
}

/** For command-line entry points (synth, the local stack): an invalid file ends the process with its message. */
export function loadConfigOrExit(): AutopilotConfig {
  try {
    return loadConfigFile();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * In Lambda the validated config is baked into the bundle at synth time (esbuild `define`),
 * so a function never reads a file and can never start with a config that synth did not check.
 */
declare const __AUTOPILOT_CONFIG__: string | undefined;

let cached: AutopilotConfig | undefined;

export function runtimeConfig(): AutopilotConfig {
  if (!cached) {
    cached =
      typeof __AUTOPILOT_CONFIG__ === 'string'
        ? parseConfig(JSON.parse(__AUTOPILOT_CONFIG__), 'the bundled configuration')
        : loadConfigFile();
  }
  return cached;
}
