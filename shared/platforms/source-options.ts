import * as z from 'zod';
import type { AutopilotConfig, SourceConfig } from '../config/schema.ts';
import { POLLERS, SOURCE_OPTIONS } from './index.ts';

/**
 * Source `options` are free-form in the config schema (each platform owns its own); this checks
 * them against the schema the source type declares, at synth and at local start, so a typo in
 * `channelId` stops `cdk synth` instead of failing the first scheduled poll. Kept out of the
 * config schema module so that the schema never imports the platforms.
 */

/** Every polled source also takes its schedule: one run every `pollMinutes`. */
export const PollScheduleOptions = z.object({
  pollMinutes: z.number().int().min(1).max(1440).default(5),
});

export interface OptionsIssue {
  /** `sources.<index>.options.<field>`, as the config loader reports paths. */
  path: string;
  message: string;
}

function schemaFor(type: string): z.ZodObject | undefined {
  const own = (SOURCE_OPTIONS as Record<string, z.ZodObject | undefined>)[type];
  if (POLLERS[type]) return (own ?? z.object({})).extend(PollScheduleOptions.shape);
  return own;
}

/** Problems with the `options` of every configured source; empty when all are valid. */
export function validateSourceOptions(config: Pick<AutopilotConfig, 'sources'>): OptionsIssue[] {
  return config.sources.flatMap((source, index) => {
    const at = ['sources', index, 'options'];
    const schema = schemaFor(source.type);
    if (!schema) {
      return Object.keys(source.options).map((field) => ({
        path: [...at, field].join('.'),
        message: `${source.type} sources take no options`,
      }));
    }
    // Strict: a misspelled option would otherwise be dropped without a word.
    const result = schema.strict().safeParse(source.options);
    if (result.success) return [];
    return result.error.issues.map((issue) => ({
      path: [...at, ...issue.path.map(String)].join('.'),
      message:
        issue.code === 'unrecognized_keys'
          ? `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
          : issue.message,
    }));
  });
}

/** Minutes between two polls of a source (its `pollMinutes`, 5 by default). */
export function pollMinutesOf(source: SourceConfig): number {
  return PollScheduleOptions.parse({ pollMinutes: source.options.pollMinutes }).pollMinutes;
}

/** The configured sources that are read by a poller rather than called by a webhook. */
export function polledSources(config: Pick<AutopilotConfig, 'sources'>): SourceConfig[] {
  return config.sources.filter((s) => POLLERS[s.type] !== undefined);
}
