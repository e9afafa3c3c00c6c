import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/config/load.ts';
import { testConfig } from '../../support/builders.ts';

const teams = (chat: unknown[]) => [
  { id: 'support', name: 'Support', chat },
  { id: 'product', name: 'Product' },
  { id: 'moderation', name: 'Moderation' },
  { id: 'community', name: 'Community' },
];

describe('chat targets in the configuration', () => {
  it('reads Slack, Teams and Chatbot targets with their default ids', () => {
    const config = testConfig({
      teams: teams([
        { type: 'slack', secretName: 'autopilot/chat/support-slack' },
        { type: 'teams', secretName: 'autopilot/chat/support-teams' },
        { type: 'chatbot' },
      ]),
    });

    expect(config.teams[0]?.chat.map((t) => t.id)).toEqual(['slack', 'teams', 'chatbot']);
    expect(config.teams[1]?.chat).toEqual([]);
  });

  it('names the field and the value of a duplicate target id', () => {
    expect(() =>
      testConfig({
        teams: teams([
          { type: 'slack', secretName: 'a' },
          { type: 'slack', secretName: 'b' },
        ]),
      }),
    ).toThrow(/teams\.0\.chat\.1\.id: duplicate id "slack"/);
  });

  it('refuses a webhook URL written in the file instead of a secret name', () => {
    expect(() =>
      testConfig({
        teams: teams([
          { type: 'teams', url: 'https://example.logic.azure.com/workflows/x', secretName: 'x' },
        ]),
      }),
    ).toThrow(ConfigError);
  });

  it('refuses interactive buttons when no Slack source can verify the clicks', () => {
    expect(() =>
      testConfig({ teams: teams([{ type: 'slack', secretName: 'a', interactive: true }]) }),
    ).toThrow(/teams\.0\.chat\.0\.interactive: interactive buttons need a source of type slack/);
  });

  it('names an unknown signing source', () => {
    expect(() =>
      testConfig({
        sources: [
          { id: 'generic', type: 'generic', community: 'velo', secretName: 'test/generic' },
          { id: 'slack', type: 'slack', community: 'velo', secretName: 'test/slack' },
        ],
        teams: teams([{ type: 'slack', secretName: 'a', interactive: true, signingSource: 'slak' }]),
      }),
    ).toThrow(/teams\.0\.chat\.0\.signingSource: no source of type slack has id "slak"/);
  });
});
