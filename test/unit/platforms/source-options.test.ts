import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../../shared/config/load.ts';
import { SourceConfig } from '../../../shared/config/schema.ts';
import {
  polledSources,
  pollMinutesOf,
  validateSourceOptions,
} from '../../../shared/platforms/source-options.ts';

const EXAMPLE = 'config/community-autopilot.yaml';

function source(type: string, options: Record<string, unknown>) {
  return SourceConfig.parse({
    id: type,
    type,
    community: 'velo-lumiere',
    secretName: `community-autopilot/sources/${type}`,
    options,
  });
}

/** The example configuration (parsed, so valid) as raw input with one source's options replaced. */
function exampleWith(sourceId: string, options: Record<string, unknown>) {
  const raw = structuredClone(loadConfigFile(EXAMPLE)) as unknown as {
    sources: { id: string; options: Record<string, unknown> }[];
  };
  const index = raw.sources.findIndex((s) => s.id === sourceId);
  const target = raw.sources[index];
  if (!target) throw new Error(`the example config has no ${sourceId} source`);
  target.options = options;
  return { raw, index };
}

describe('source options validation', () => {
  it('accepts the options of every source in the example configuration', () => {
    const config = loadConfigFile(EXAMPLE);

    expect(validateSourceOptions(config)).toEqual([]);
  });

  it('names the field when a YouTube channel id is malformed', () => {
    const issues = validateSourceOptions({ sources: [source('youtube', { channelId: 'velo-lumiere' })] });

    expect(issues).toEqual([
      { path: 'sources.0.options.channelId', message: 'must be a channel id (UC...)' },
    ]);
  });

  it('names a required option that is missing', () => {
    const issues = validateSourceOptions({ sources: [source('reddit', {})] });

    expect(issues.map((i) => i.path)).toEqual(['sources.0.options.subreddit']);
  });

  it('rejects a misspelled option instead of dropping it', () => {
    const issues = validateSourceOptions({ sources: [source('slack', { channel: ['C0ENTRAIDE1'] })] });

    expect(issues).toEqual([{ path: 'sources.0.options', message: 'unknown option "channel"' }]);
  });

  it('rejects options given to a source type that takes none', () => {
    const issues = validateSourceOptions({ sources: [source('meta', { pageId: '1' })] });

    expect(issues).toEqual([{ path: 'sources.0.options.pageId', message: 'meta sources take no options' }]);
  });

  it('accepts pollMinutes on polled sources and rejects it out of range or on webhook sources', () => {
    const ok = source('reddit', { subreddit: 'VeloLumiere', pollMinutes: 15 });
    const zero = source('youtube', { channelId: 'UCveloLumiereOfficial', pollMinutes: 0 });
    const webhook = source('slack', { pollMinutes: 5 });

    const issues = validateSourceOptions({ sources: [ok, zero, webhook] });

    expect(issues.map((i) => i.path)).toEqual(['sources.1.options.pollMinutes', 'sources.2.options']);
  });

  it('stops the config loader with a message naming the source, index and field', () => {
    const { raw, index } = exampleWith('youtube', {
      channelId: 'UCveloLumiereOfficial',
      replyLookbackDays: 90,
    });

    const load = () => parseConfig(raw, 'test.yaml');

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`sources\\.${index}\\.options\\.replyLookbackDays: `));
  });

  it('polls every 5 minutes unless pollMinutes says otherwise', () => {
    expect(pollMinutesOf(source('youtube', { channelId: 'UCveloLumiereOfficial' }))).toBe(5);
    expect(pollMinutesOf(source('reddit', { subreddit: 'VeloLumiere', pollMinutes: 10 }))).toBe(10);
  });

  it('lists the YouTube and Reddit sources of the example as polled, and no webhook source', () => {
    const config = loadConfigFile(EXAMPLE);

    expect(polledSources(config).map((s) => `${s.id}:${s.type}`)).toEqual([
      'youtube:youtube',
      'reddit:reddit',
    ]);
  });

  it('gives the example polled sources the secret names and options their pollers need', () => {
    const config = loadConfigFile(EXAMPLE);

    for (const id of ['youtube', 'reddit']) {
      const polled = config.sources.find((s) => s.id === id);
      expect(polled?.type).toBe(id);
      expect(polled?.secretName).toBe(`community-autopilot/sources/${id}`);
    }
    expect(config.sources.find((s) => s.id === 'youtube')?.options.channelId).toBe('UCveloLumiereOfficial');
    expect(config.sources.find((s) => s.id === 'reddit')?.options.subreddit).toBe('VeloLumiere');
  });
});
