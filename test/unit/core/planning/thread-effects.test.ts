import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  applyCreations,
  type CommentChange,
} from '../../../../shared/core/planning/comment-changes.ts';
import { dedupeEvents } from '../../../../shared/core/planning/dedupe.ts';
import { newItem, reconcileThread, threadEffects } from '../../../../shared/core/planning/thread-effects.ts';
import type { StoredComment } from '../../../../shared/core/ports.ts';
import type { ThreadEntry, ThreadItem, ThreadReply } from '../../../../shared/domain/threads.ts';
import { commentEvent } from '../../../support/builders.ts';
import {
  AT,
  community,
  config,
  contextWith,
  emptyContext,
  planned,
  storedComment,
} from '../../../support/planning.ts';

const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;

function item(id: string, createdAt: string, overrides: Partial<ThreadItem> = {}): ThreadItem {
  return {
    kind: 'item',
    commentId: id,
    threadId: 't',
    createdAt,
    day: '2026-11-20',
    team: 'support',
    dueAt: new Date(Date.parse(createdAt) + 3_600_000).toISOString(),
    escalateAgainAt: new Date(Date.parse(createdAt) + 7_200_000).toISOString(),
    status: 'open',
    escalationLevel: 0,
    version: 1,
    ...overrides,
  };
}

function reply(id: string, createdAt: string, deleted = false): ThreadReply {
  return {
    kind: 'reply',
    commentId: id,
    threadId: 't',
    createdAt,
    version: 1,
    ...(deleted ? { deleted } : {}),
  };
}

async function changesOf(
  context: ReturnType<typeof emptyContext>,
  ...events: ReturnType<typeof commentEvent>[]
) {
  const decisions = dedupeEvents(await planned(...events), context);
  const creations = applyCreations(decisions, community, config, AT);
  const comments = new Map(context.comments);
  for (const c of creations) comments.set(c.after.comment.id, c.after);
  return [...creations, ...applyChanges(decisions, comments, community, config, AT)] as CommentChange[];
}

describe('reconciling a thread', () => {
  it('answers an open item with the first brand reply after it, within its SLA or not', () => {
    const { answered, counters } = reconcileThread([
      item('q', at('08:00')),
      reply('early', at('07:00')),
      reply('r2', at('08:45')),
      reply('r1', at('08:30')),
    ]);
    expect(answered).toEqual([
      {
        ...item('q', at('08:00')),
        status: 'answered',
        answeredAt: at('08:30'),
        answeredBy: 'r1',
        version: 2,
      },
    ]);
    expect(counters.get('2026-11-20')).toMatchObject({
      answered: 1,
      answeredWithinSla: 1,
      frtCount: 1,
      frtSumSeconds: 1800,
    });
  });

  it('lets no deleted reply answer, and leaves an item it answered answered', () => {
    const byDeleted = item('a', at('08:00'), {
      status: 'answered',
      answeredAt: at('08:10'),
      answeredBy: 'gone',
    });
    const { answered } = reconcileThread([
      item('q', at('08:00')),
      byDeleted,
      reply('gone', at('08:10'), true),
    ]);
    expect(answered).toEqual([]);
  });

  it('moves an answer earlier when an earlier reply arrives late, by the difference only', () => {
    const late = item('q', at('08:00'), {
      status: 'answered',
      answeredAt: at('10:00'),
      answeredBy: 'r2',
      version: 2,
    });
    const { answered, counters } = reconcileThread([
      late,
      reply('r2', at('10:00')),
      reply('r1', at('08:20')),
    ]);
    expect(answered.map((i) => [i.answeredBy, i.answeredAt, i.version])).toEqual([['r1', at('08:20'), 3]]);
    // Answered before and after: only the within-SLA and the response-time counters move.
    expect(counters.get('2026-11-20')).toMatchObject({ answeredWithinSla: 1, frtSumSeconds: 1200 - 7200 });
    expect(counters.get('2026-11-20')?.answered ?? 0).toBe(0);
  });

  it('owes nothing when every item has its first answer, and leaves withdrawn items alone', () => {
    const done = item('q', at('08:00'), { status: 'answered', answeredAt: at('08:20'), answeredBy: 'r' });
    expect(
      reconcileThread([done, item('w', at('08:05'), { status: 'withdrawn' }), reply('r', at('08:20'))])
        .answered,
    ).toEqual([]);
  });

  it('answers at most as many items as it is allowed, oldest first', () => {
    const entries: ThreadEntry[] = [
      item('q3', at('08:03')),
      item('q1', at('08:01')),
      item('q2', at('08:02')),
      reply('r', at('09:00')),
    ];
    expect(reconcileThread(entries, 2).answered.map((i) => i.commentId)).toEqual(['q1', 'q2']);
  });
});

describe('the thread effects of a batch', () => {
  it('opens an item for a question and writes it answered when its reply is in the same batch', async () => {
    const effects = threadEffects(
      await changesOf(
        emptyContext(),
        commentEvent({ id: 'q', text: 'Quel délai ?', createdAt: at('08:00') }),
        commentEvent({
          id: 'r',
          author: 'brand-1',
          text: 'Deux jours.',
          createdAt: at('08:30'),
          threadId: 'q',
        }),
      ),
      new Map(),
      community,
    );
    expect(
      effects.entries.map((w) => [
        w.next.kind,
        w.next.commentId,
        'status' in w.next ? w.next.status : '',
        w.previous,
      ]),
    ).toEqual([
      ['item', 'generic:q', 'answered', undefined],
      ['reply', 'generic:r', '', undefined],
    ]);
    expect(effects.counters.get('2026-11-20')).toMatchObject({
      needsReply: 1,
      answered: 1,
      answeredWithinSla: 1,
    });
  });

  it('never opens an item for praise, an automated reply or a comment deleted before it arrived', async () => {
    const context = emptyContext();
    context.tombstones.set('generic:gone', ['generic:gone#deleted']);
    const effects = threadEffects(
      await changesOf(
        context,
        commentEvent({ id: 'p', text: 'Super vélo' }),
        commentEvent({ id: 'bot', author: 'brand-bot', text: 'Merci !', threadId: 'p' }),
        commentEvent({ id: 'gone', text: 'Une question ?' }),
      ),
      new Map(),
      community,
    );
    expect(effects.entries).toEqual([]);
    expect(effects.counters.size).toBe(0);
  });

  it('withdraws the open item of a deleted question, and marks a deleted reply', async () => {
    const question = await storedComment({ id: 'q', text: 'Quel délai ?', createdAt: at('08:00') });
    const answer = await storedComment({
      id: 'r',
      author: 'brand-1',
      text: 'Vu.',
      createdAt: at('07:00'),
      threadId: 'q',
    });
    const open = newItem(question, community);
    const threads = new Map([
      [
        question.comment.threadId,
        [open, reply(answer.comment.id, at('07:00'))].map((e) => ({ ...e, threadId: 'generic:q' })),
      ],
    ]);
    const effects = threadEffects(
      await changesOf(
        contextWith(question, answer),
        commentEvent({ id: 'q', kind: 'deleted' }),
        commentEvent({ id: 'r', kind: 'deleted' }),
      ),
      threads,
      community,
    );
    expect(
      effects.entries.map((w) => [
        w.next.commentId,
        'status' in w.next ? w.next.status : w.next.deleted,
        w.previous?.version,
      ]),
    ).toEqual([
      ['generic:q', 'withdrawn', 1],
      ['generic:r', true, 1],
    ]);
    expect(effects.counters.get('2026-11-20')).toEqual({ needsReply: -1 });
  });

  it('reopens a withdrawn item when an edit makes it a question again, and answers it', async () => {
    const stored: StoredComment = await storedComment({ id: 'q', text: 'Merci', createdAt: at('08:00') });
    const withdrawn = { ...newItem({ ...stored, routes: [] }, community), status: 'withdrawn' as const };
    const threads = new Map([
      [
        'generic:q',
        [withdrawn, { ...reply('generic:r', at('08:20')), threadId: 'generic:q' }] as ThreadEntry[],
      ],
    ]);
    const effects = threadEffects(
      await changesOf(contextWith(stored), commentEvent({ id: 'q', kind: 'edited', text: 'Et la taille ?' })),
      threads,
      community,
    );
    expect(effects.entries.map((w) => ['status' in w.next ? w.next.status : '', w.next.version])).toEqual([
      ['answered', 3],
    ]);
    expect(effects.counters.get('2026-11-20')).toMatchObject({ needsReply: 1, answered: 1 });
  });

  it('gives an item its SLA deadlines, and the first routed team or the community team', async () => {
    const stored = await storedComment({ id: 'q', text: 'Quel délai ?', createdAt: at('08:00') });
    expect(newItem(stored, community)).toMatchObject({
      team: 'support',
      dueAt: at('09:00'),
      escalateAgainAt: at('10:00'),
      status: 'open',
    });
    expect(newItem({ ...stored, routes: [] }, community).team).toBe(community.communityTeam);
  });
});
