import { describe, expect, it } from 'vitest';
import { routedEntries, welcomeEntries } from '../../../../shared/core/planning/outbox.ts';
import { withComment } from '../../../../shared/domain/members.ts';
import { AT, community, storedComment } from '../../../support/planning.ts';

describe('the outbox entries a batch owes', () => {
  it('owes each routed team one notification with the batch time, and none already owed', async () => {
    const stored = await storedComment({ id: 'q', text: 'Une idée ? Il faudrait une appli.' });
    const all = routedEntries(stored, [], AT);
    expect(all.map((e) => e.id)).toEqual(stored.routes.map((r) => `generic:q#${r.team}`));
    expect(all.every((e) => e.kind === 'comment.routed' && e.at === AT)).toBe(true);
    expect(routedEntries(stored, all.slice(0, 1), AT)).toEqual(all.slice(1));
  });

  it('owes nothing for a deleted comment', async () => {
    const stored = await storedComment({ id: 'q', text: 'Une question ?' }, { deleted: true });
    expect(routedEntries(stored, [], AT)).toEqual([]);
  });

  it('welcomes a first-time poster where the community welcomes, unless the first comment is toxic', async () => {
    const welcoming = { ...community, welcomeNewMembers: true };
    const member = withComment(undefined, {
      key: 'generic:m',
      name: 'M',
      id: 'generic:c',
      day: '2026-11-20',
    });
    const nice = await storedComment({ id: 'c', author: 'm', text: 'Bonjour' });
    const rude = await storedComment({ id: 'd', author: 'm', text: 'Quel idiot' });

    expect(welcomeEntries(member, nice, welcoming, AT)).toEqual([
      { id: 'welcome#generic:m', kind: 'member.welcome', at: AT, team: community.communityTeam },
    ]);
    expect(welcomeEntries(member, rude, welcoming, AT)).toEqual([]);
    expect(welcomeEntries(member, nice, { ...community, welcomeNewMembers: false }, AT)).toEqual([]);
  });
});
