import { parseConfig } from '../shared/config/load.ts';

/** One community, two teams: the configuration every bench section runs against. */
export const benchConfig = parseConfig(
  {
    communities: [
      {
        id: 'bench',
        name: 'Bench',
        timezone: 'Europe/Paris',
        slaMinutes: 60,
        communityTeam: 'community',
        welcomeNewMembers: false,
        brandAccounts: { generic: ['brand'] },
      },
    ],
    sources: [{ id: 'generic', type: 'generic', community: 'bench', secretName: 'bench/generic' }],
    teams: [
      { id: 'support', name: 'Support' },
      { id: 'community', name: 'Community' },
    ],
    routing: [{ name: 'questions', when: { intent: ['question'] }, team: 'support' }],
  },
  'bench config',
);
