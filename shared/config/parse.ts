import type * as z from 'zod';
import { ConfigError } from '../domain/errors.ts';
import { validateSourceOptions } from '../platforms/source-options.ts';
import { AutopilotConfig } from './schema.ts';

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
