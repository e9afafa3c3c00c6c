import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../domain/errors.ts';
import { parseConfig } from './parse.ts';
import type { AutopilotConfig } from './schema.ts';

// Re-exported: callers have always imported them from here.
export { ConfigError, parseConfig };

export const DEFAULT_CONFIG_PATH = 'config/community-autopilot.yaml';

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
