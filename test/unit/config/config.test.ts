import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../../shared/config/load.ts';
import { SOURCE_PLATFORMS, SOURCE_TYPES } from '../../../shared/config/schema.ts';
import { POLLERS, SOURCES } from '../../../shared/platforms/index.ts';
import { testConfig } from '../../support/builders.ts';

type Raw = {
  communities: Record<string, unknown>[];
  sources: Record<string, unknown>[];
  teams: Record<string, unknown>[];
  routing: (Record<string, unknown> & { when: Record<string, unknown> })[];
};

/** The test configuration as raw input, changed by `edit`: one community "velo", one generic source, four teams. */
function rawWith(edit: (raw: Raw) => void): Raw {
  const raw = structuredClone(testConfig()) as unknown as Raw;
  edit(raw);
  return raw;
}

/** The lines of the ConfigError `parseConfig` throws for `raw` (fails the test when it does not throw). */
function issuesOf(raw: Raw): string[] {
  try {
    parseConfig(raw, 'x.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split('\n').slice(1);
  }
  throw new Error('the configuration was accepted');
}

const at = <T>(items: T[], index: number): T => {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
};

describe('configuration', () => {
  it('loads the shipped example', () => {
    const config = loadConfigFile('config/community-autopilot.yaml');
    expect(config.communities[0]?.timezone).toBe('Europe/Paris');
    expect(config.teams.map((t) => t.id)).toEqual(
      expect.arrayContaining(['support', 'product', 'moderation', 'community']),
    );
  });

  it('names the field when a time zone does not exist', () => {
    const raw = rawWith((r) => {
      at(r.communities, 0).timezone = 'Europe/Lutece';
    });
    expect(() => parseConfig(raw, 'x.yaml')).toThrow(/communities\.0\.timezone: must be an IANA time zone/);
  });

  it('rejects an unknown routing condition instead of ignoring it', () => {
    const raw = rawWith((r) => {
      at(r.routing, 0).when.mood = ['angry'];
    });
    expect(() => parseConfig(raw, 'x.yaml')).toThrow(ConfigError);
  });

  it('says which file cannot be read', () => {
    expect(() => loadConfigFile('/nonexistent/autopilot.yaml')).toThrow(
      /Cannot read configuration file \/nonexistent/,
    );
  });
});

describe('configuration references', () => {
  it('accepts the test configuration, whose references all resolve', () => {
    expect(() =>
      parseConfig(
        rawWith(() => {}),
        'x.yaml',
      ),
    ).not.toThrow();
  });

  it('names the field and the value when a routing rule points to an unknown team', () => {
    const raw = rawWith((r) => {
      at(r.routing, 1).team = 'sales';
    });

    expect(issuesOf(raw)).toEqual(['  - routing.1.team: unknown team "sales"']);
  });

  it('names the field and the value when the community team does not exist', () => {
    const raw = rawWith((r) => {
      at(r.communities, 0).communityTeam = 'communty';
    });

    expect(issuesOf(raw)).toEqual(['  - communities.0.communityTeam: unknown team "communty"']);
  });

  it('names the field and the value when the escalation team does not exist', () => {
    const raw = rawWith((r) => {
      at(r.communities, 0).escalationTeam = 'sales';
    });

    expect(issuesOf(raw)).toEqual(['  - communities.0.escalationTeam: unknown team "sales"']);
  });

  it('accepts a community without an escalation team', () => {
    const raw = rawWith((r) => {
      delete at(r.communities, 0).escalationTeam;
    });

    expect(parseConfig(raw, 'x.yaml').communities[0]?.escalationTeam).toBeUndefined();
  });

  it('names the field and the value when a source belongs to an unknown community', () => {
    const raw = rawWith((r) => {
      at(r.sources, 0).community = 'velo-lumiere';
    });

    expect(issuesOf(raw)).toContain('  - sources.0.community: unknown community "velo-lumiere"');
  });

  it('names the field and the value when a routing rule is limited to an unknown community', () => {
    const raw = rawWith((r) => {
      at(r.routing, 2).when.community = ['velo', 'moto'];
    });

    expect(issuesOf(raw)).toEqual(['  - routing.2.when.community.1: unknown community "moto"']);
  });

  it('rejects a routing rule on a platform that no source delivers', () => {
    const raw = rawWith((r) => {
      at(r.routing, 2).when.platform = ['generic', 'reddit'];
    });

    expect(issuesOf(raw)).toEqual(['  - routing.2.when.platform.1: no source delivers platform "reddit"']);
  });

  it('accepts a routing rule on each platform a Meta source delivers', () => {
    const raw = rawWith((r) => {
      r.sources.push({ id: 'meta', type: 'meta', community: 'velo', secretName: 'test/meta' });
      at(r.routing, 2).when.platform = ['facebook', 'instagram'];
    });

    expect(parseConfig(raw, 'x.yaml').routing[2]?.when.platform).toEqual(['facebook', 'instagram']);
  });

  it("checks a rule's platforms against the sources of the communities the rule is limited to", () => {
    const raw = rawWith((r) => {
      r.communities.push({ ...at(r.communities, 0), id: 'moto', brandAccounts: {}, automatedAccounts: {} });
      r.sources.push({ id: 'slack', type: 'slack', community: 'moto', secretName: 'test/slack' });
      at(r.routing, 2).when = { platform: ['slack'], community: ['velo'] };
    });

    expect(issuesOf(raw)).toEqual([
      `  - routing.2.when.platform.0: no source of the rule's communities delivers platform "slack"`,
    ]);
  });

  it('rejects brand and automated accounts on a platform none of the community sources deliver', () => {
    const raw = rawWith((r) => {
      at(r.communities, 0).brandAccounts = { generic: ['brand-1'], youtube: ['UCvelo'] };
      at(r.communities, 0).automatedAccounts = { x: ['123'] };
    });

    expect(issuesOf(raw)).toEqual([
      '  - communities.0.brandAccounts.youtube: no source of community "velo" delivers platform "youtube"',
      '  - communities.0.automatedAccounts.x: no source of community "velo" delivers platform "x"',
    ]);
  });

  it.each([
    ['communities', '  - communities.1.id: duplicate id "velo"'],
    ['sources', '  - sources.1.id: duplicate id "generic"'],
    ['teams', '  - teams.4.id: duplicate id "support"'],
    ['routing', '  - routing.5.name: duplicate name "toxic"'],
  ] as const)('rejects a second item of %s under the same id or name', (key, expected) => {
    const raw = rawWith((r) => {
      const list = r[key] as Record<string, unknown>[];
      list.push(structuredClone(at(list, 0)));
    });

    expect(issuesOf(raw)).toEqual([expected]);
  });

  it('reports every broken reference at once', () => {
    const raw = rawWith((r) => {
      at(r.communities, 0).escalationTeam = 'sales';
      at(r.routing, 0).team = 'legal';
      at(r.routing, 3).when.community = ['moto'];
    });

    expect(issuesOf(raw)).toEqual([
      '  - communities.0.escalationTeam: unknown team "sales"',
      '  - routing.0.team: unknown team "legal"',
      '  - routing.3.when.community.0: unknown community "moto"',
    ]);
  });

  it('knows the platforms of every source type as the platform files declare them', () => {
    for (const type of SOURCE_TYPES) {
      const declared = SOURCES[type]?.platforms ?? (POLLERS[type] ? [type] : undefined);

      expect(declared, type).toEqual(SOURCE_PLATFORMS[type]);
    }
  });
});
