import { describe, expect, it } from 'vitest';
import { type PlannedEvent, planBatch } from '../../../shared/core/plan-batch.ts';
import type { BatchContext } from '../../../shared/core/ports.ts';
import { withComment } from '../../../shared/domain/members.ts';
import type { ThreadItem } from '../../../shared/domain/threads.ts';
import { commentEvent, KeywordClassifier, testConfig } from '../../support/builders.ts';

const classifier = new KeywordClassifier();
const AT = '2026-11-20T12:00:00.000Z';
const empty = (): BatchContext => ({
  comments: new Map(),
  seenEvents: new Set(),
  members: new Map(),
  threads: new Map(),
  tombstones: new Map(),
});

async function planned(...events: ReturnType<typeof commentEvent>[]): Promise<PlannedEvent[]> {
  const results = await classifier.classify(events.map((e) => ({ text: e.comment.text })));
  return events.map((event, i) => ({ event, classification: results[i] }));
}

describe('planning a batch', () => {
  it('pauses the SLA clock outside opening hours', async () => {
    const config = testConfig();
    const community = {
      ...(config.communities[0] as (typeof config.communities)[number]),
      slaMinutes: 60,
      businessHours: { days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' },
    };
    // Friday 20 Nov 2026, 17:30 in Paris (16:30Z): 30 minutes left on Friday, 30 more on Monday from 09:00.
    const plan = planBatch(
      await planned(
        commentEvent({ id: 'fri', text: 'Une question ?', createdAt: '2026-11-20T16:30:00.000Z' }),
      ),
      empty(),
      community,
      config,
      AT,
    );
    const item = plan.changes.threadEntries[0]?.next as ThreadItem;
    expect(item.dueAt).toBe('2026-11-23T08:30:00.000Z'); // Monday 09:30 Paris
    expect(item.escalateAgainAt).toBe('2026-11-23T09:30:00.000Z'); // Monday 10:30 Paris
  });

  it('counts an item answered by a reply that arrived before it', async () => {
    const config = testConfig();
    const community = config.communities[0] as (typeof config.communities)[number];
    const question = commentEvent({ id: 'q', text: 'Délai ?', createdAt: '2026-11-20T10:00:00.000Z' });
    const context = empty();
    context.threads.set('generic:q', [
      {
        kind: 'reply',
        commentId: 'generic:r',
        threadId: 'generic:q',
        createdAt: '2026-11-20T10:45:00.000Z',
        version: 1,
      },
    ]);
    const plan = planBatch(await planned(question), context, community, config, AT);
    expect(plan.changes.counters.get('2026-11-20')).toMatchObject({
      needsReply: 1,
      answered: 1,
      answeredWithinSla: 1, // 45 min, SLA 60
      frtCount: 1,
      frtSumSeconds: 2700,
    });
  });

  it('owes a first-time poster a welcome, in the outbox of the member it creates, and not a returning one', async () => {
    const config = testConfig();
    const community = {
      ...(config.communities[0] as (typeof config.communities)[number]),
      welcomeNewMembers: true,
    };
    const context = empty();
    context.members.set(
      'generic:old',
      withComment(undefined, {
        key: 'generic:old',
        name: 'Old',
        id: 'generic:x',
        day: '2026-11-01',
      }),
    );
    const plan = planBatch(
      await planned(commentEvent({ id: 'a', author: 'new' }), commentEvent({ id: 'b', author: 'old' })),
      context,
      community,
      config,
      AT,
    );
    const owed = plan.changes.members.map((w) => [w.next.key, w.next.outbox?.map((e) => e.id) ?? []]);
    expect(owed).toEqual([
      ['generic:new', ['welcome#generic:new']],
      ['generic:old', []],
    ]);
    expect(plan.changes.members[0]?.next.outbox?.[0]).toMatchObject({
      kind: 'member.welcome',
      at: AT,
      team: community.communityTeam,
    });
    expect(plan.changes.counters.get('2026-11-20')?.firstTimePosters).toBe(1);
  });
});

describe('the outbox entries a batch owes', () => {
  it('owes no welcome where the community does not welcome new members', async () => {
    const config = testConfig();
    const community = {
      ...(config.communities[0] as (typeof config.communities)[number]),
      welcomeNewMembers: false,
    };
    const plan = planBatch(
      await planned(commentEvent({ id: 'a', author: 'new' })),
      empty(),
      community,
      config,
      AT,
    );

    expect(plan.changes.members[0]?.next.outbox).toBeUndefined();
  });

  it('owes each routed team one notification, in the comment record, with the batch time', async () => {
    const config = testConfig();
    const community = config.communities[0] as (typeof config.communities)[number];
    const plan = planBatch(
      await planned(commentEvent({ id: 'q', text: 'Une question ?' })),
      empty(),
      community,
      config,
      AT,
    );
    const comment = plan.changes.comments[0]?.next;

    expect(comment?.routes.length).toBeGreaterThan(0);
    expect(comment?.outbox).toEqual(
      comment?.routes.map((r) => ({ id: `generic:q#${r.team}`, kind: 'comment.routed', at: AT, ...r })),
    );
  });

  it('owes nothing for a comment whose deletion arrived first', async () => {
    const config = testConfig();
    const community = config.communities[0] as (typeof config.communities)[number];
    const context = empty();
    context.tombstones.set('generic:q', ['generic:q#deleted']);
    const plan = planBatch(
      await planned(commentEvent({ id: 'q', text: 'Une question ?' })),
      context,
      community,
      config,
      AT,
    );

    expect(plan.changes.comments[0]?.next).toMatchObject({ status: 'deleted', outbox: [] });
  });

  it('keeps what an edited comment owed and adds only the teams it routes to for the first time', async () => {
    const config = testConfig();
    const community = config.communities[0] as (typeof config.communities)[number];
    const [first] = await planned(commentEvent({ id: 'q', text: 'Une question ?' }));
    const created = planBatch([first as PlannedEvent], empty(), community, config, AT).changes.comments[0]
      ?.next;
    const context = empty();
    if (created) context.comments.set(created.comment.id, created);
    const [edit] = await planned(
      commentEvent({ id: 'q', kind: 'edited', text: 'Une question ? Et une idée : il faudrait une appli.' }),
    );
    const later = '2026-11-20T13:00:00.000Z';

    const edited = planBatch([edit as PlannedEvent], context, community, config, later).changes.comments[0]
      ?.next;

    expect(edited?.outbox.slice(0, created?.outbox.length)).toEqual(created?.outbox);
    const added = edited?.outbox.slice(created?.outbox.length ?? 0) ?? [];
    expect(added.length).toBeGreaterThan(0);
    expect(added.map((e) => e.at)).toEqual(added.map(() => later));
    expect(new Set(edited?.outbox.map((e) => e.id)).size).toBe(edited?.outbox.length);
  });
});

describe('member streaks', () => {
  it('grows on consecutive days, restarts after a gap and ignores late deliveries', () => {
    const key = 'generic:m';
    let m = withComment(undefined, { key, name: 'M', id: 'c1', day: '2026-11-01' });
    m = withComment(m, { key, name: 'M', id: 'c2', day: '2026-11-02' });
    expect(m).toMatchObject({ streak: 2, longestStreak: 2, lastActiveDay: '2026-11-02' });
    m = withComment(m, { key, name: 'M', id: 'c3', day: '2026-11-05' });
    expect(m).toMatchObject({ streak: 1, longestStreak: 2, lastActiveDay: '2026-11-05' });
    m = withComment(m, { key, name: 'M', id: 'c0', day: '2026-10-30' });
    expect(m).toMatchObject({
      streak: 1,
      lastActiveDay: '2026-11-05',
      firstSeenDay: '2026-10-30',
      firstCommentId: 'c1',
    });
  });

  it('gives the same member when the same comment is applied twice', () => {
    const key = 'generic:m';
    const once = withComment(undefined, { key, name: 'M', id: 'c1', day: '2026-11-01' });
    const twice = withComment(once, { key, name: 'M', id: 'c1', day: '2026-11-01' });
    expect({ ...twice, version: once.version }).toEqual(once);
  });
});
