import { describe, expect, it } from 'vitest';
import { memberEffects } from '../../../../shared/core/planning/member-effects.ts';
import { withComment } from '../../../../shared/domain/members.ts';
import { AT, community, storedComment } from '../../../support/planning.ts';

describe('the member effects of a batch', () => {
  it('creates a first-time poster, counts them once and welcomes them where the community does', async () => {
    const first = await storedComment({ id: 'a', author: 'new' });
    const second = await storedComment({ id: 'b', author: 'new' });
    const effects = memberEffects(
      [first, second],
      new Map(),
      new Map(),
      { ...community, welcomeNewMembers: true },
      AT,
    );

    expect(effects.members).toHaveLength(1);
    expect(effects.members[0]?.previous).toBeUndefined();
    expect(effects.members[0]?.next).toMatchObject({
      key: 'generic:new',
      firstCommentId: 'generic:a',
      streak: 1,
    });
    expect(effects.members[0]?.next.outbox?.map((e) => e.id)).toEqual(['welcome#generic:new']);
    expect(effects.memberDays.get('2026-11-20')).toEqual({ 'n:generic:new': 2, 'f:generic:new': 1 });
    expect(effects.counters.get('2026-11-20')).toEqual({ firstTimePosters: 1 });
  });

  it('writes a returning member only on a new active day, and counts every comment', async () => {
    const known = withComment(undefined, {
      key: 'generic:old',
      name: 'old',
      id: 'generic:x',
      day: '2026-11-19',
    });
    const sameDay = withComment(known, {
      key: 'generic:old',
      name: 'old',
      id: 'generic:y',
      day: '2026-11-20',
    });
    const today = await storedComment({ id: 'c', author: 'old' });

    const fromYesterday = memberEffects([today], new Map([['generic:old', known]]), new Map(), community, AT);
    const fromToday = memberEffects([today], new Map([['generic:old', sameDay]]), new Map(), community, AT);

    expect(fromYesterday.members.map((w) => [w.previous?.version, w.next.version, w.next.streak])).toEqual([
      [1, 2, 2],
    ]);
    expect(fromToday.members).toEqual([]);
    expect(fromToday.memberDays.get('2026-11-20')).toEqual({ 'n:generic:old': 1 });
    expect(fromToday.counters.size).toBe(0);
  });

  it('counts a reply to another member as an answer given, not one to oneself or to the brand', async () => {
    const question = await storedComment({ id: 'q', author: 'asker' });
    const brand = await storedComment({ id: 'b', author: 'brand-1' });
    const comments = new Map([
      [question.comment.id, question],
      [brand.comment.id, brand],
    ]);
    const helping = await storedComment({ id: 'h', author: 'helper', parentId: 'q' });
    const selfReply = await storedComment({ id: 's', author: 'asker', parentId: 'q' });
    const toBrand = await storedComment({ id: 't', author: 'other', parentId: 'b' });
    const days = memberEffects(
      [helping, selfReply, toBrand],
      new Map(),
      comments,
      community,
      AT,
    ).memberDays.get('2026-11-20');
    expect(Object.keys(days ?? {}).filter((k) => k.startsWith('h:'))).toEqual(['h:generic:helper']);
  });

  it('flags the activity of a toxic comment and leaves brand and automated accounts out', async () => {
    const effects = memberEffects(
      [
        await storedComment({ id: 'x', author: 'rude', text: 'Quel idiot' }),
        await storedComment({ id: 'b', author: 'brand-1' }),
        await storedComment({ id: 'bot', author: 'brand-bot' }),
      ],
      new Map(),
      new Map(),
      community,
      AT,
    );
    expect(effects.members.map((w) => w.next.key)).toEqual(['generic:rude']);
    expect(effects.memberDays.get('2026-11-20')).toEqual({
      'n:generic:rude': 1,
      'x:generic:rude': 1,
      'f:generic:rude': 1,
    });
  });
});
