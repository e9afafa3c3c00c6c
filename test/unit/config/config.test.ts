import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../../shared/config/load.ts';
import { testConfig } from '../../support/builders.ts';

describe('configuration', () => {
  it('loads the shipped example', () => {
    const config = loadConfigFile('config/community-autopilot.yaml');
    expect(config.communities[0]?.timezone).toBe('Europe/Paris');
    expect(config.teams.map((t) => t.id)).toEqual(
      expect.arrayContaining(['support', 'product', 'moderation', 'community']),
    );
  });

  it('names the field when a routing rule points to an unknown team', () => {
    const raw = structuredClone(testConfig()) as unknown as { routing: { team: string }[] };
    (raw.routing[1] as { team: string }).team = 'sales';
    expect(() => parseConfig(raw, 'x.yaml')).toThrow(/routing\.1\.team: unknown team "sales"/);
  });

  it('names the field when a time zone does not exist', () => {
    const raw = structuredClone(testConfig()) as unknown as { communities: { timezone: string }[] };
    (raw.communities[0] as { timezone: string }).timezone = 'Europe/Lutece';
    expect(() => parseConfig(raw, 'x.yaml')).toThrow(/communities\.0\.timezone: must be an IANA time zone/);
  });

  it('rejects an unknown routing condition instead of ignoring it', () => {
    const raw = structuredClone(testConfig()) as unknown as { routing: { when: Record<string, unknown> }[] };
    (raw.routing[0] as { when: Record<string, unknown> }).when.mood = ['angry'];
    expect(() => parseConfig(raw, 'x.yaml')).toThrow(ConfigError);
  });

  it('says which file cannot be read', () => {
    expect(() => loadConfigFile('/nonexistent/autopilot.yaml')).toThrow(
      /Cannot read configuration file \/nonexistent/,
    );
  });
});
