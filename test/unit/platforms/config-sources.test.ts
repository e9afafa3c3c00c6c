import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../shared/config/load.ts';
import { SOURCE_OPTIONS, SOURCES } from '../../../shared/platforms/index.ts';

describe('example configuration', () => {
  const config = loadConfigFile('config/community-autopilot.yaml');

  it('declares one webhook source per platform, named after it, with a registered type', () => {
    for (const id of ['meta', 'slack', 'discourse', 'github', 'x']) {
      const source = config.sources.find((s) => s.id === id);

      expect(source?.type).toBe(id);
      expect(source?.secretName).toBe(`community-autopilot/sources/${id}`);
      expect(SOURCES[id]?.type).toBe(id);
    }
  });

  it('gives the Slack source options its connector understands', () => {
    const slack = config.sources.find((s) => s.id === 'slack');

    expect(SOURCE_OPTIONS.slack.safeParse(slack?.options).success).toBe(true);
  });
});
