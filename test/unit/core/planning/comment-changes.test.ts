import { describe, expect, it } from 'vitest';
import { applyChanges, applyCreations } from '../../../../shared/core/planning/comment-changes.ts';
import { dedupeEvents } from '../../../../shared/core/planning/dedupe.ts';
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

const LATER = '2026-11-20T13:00:00.000Z';

describe('the comments a batch creates', () => {
  it('counts a comment on its day in the community time zone, with its routes and what it owes', async () => {
    // 23:30 UTC on 20 Nov is 00:30 on 21 Nov in Paris.
    const event = commentEvent({ id: 'q', text: 'Une question ?', createdAt: '2026-11-20T23:30:00.000Z' });
    const [change] = applyCreations(
      dedupeEvents(await planned(event), emptyContext()),
      community,
      config,
      AT,
    );

    expect(change?.after).toMatchObject({ day: '2026-11-21', status: 'active', version: 1 });
    expect(change?.after.routes.map((r) => r.team)).toEqual(['support']);
    expect(change?.after.outbox.map((e) => e.id)).toEqual(['generic:q#support']);
    expect(change?.counters.get('2026-11-21')).toMatchObject({
      comments: 1,
      memberComments: 1,
      'hour:00': 1,
    });
  });

  it('keeps the labels of the classification, not its scores, confidences or engines', async () => {
    const [change] = applyCreations(
      dedupeEvents(await planned(commentEvent({ id: 'q' })), emptyContext()),
      community,
      config,
      AT,
    );
    expect(Object.keys(change?.after.classification ?? {}).sort()).toEqual([
      'intent',
      'intents',
      'language',
      'sentiment',
      'spam',
      'toxic',
    ]);
    expect(change?.after.classification.sentiment).toEqual({ label: 'neutral' });
  });

  it('counts a comment deleted before it arrived as deleted, owing nothing', async () => {
    const decisions = dedupeEvents(
      await planned(
        commentEvent({ id: 'q', kind: 'deleted' }),
        commentEvent({ id: 'q', text: 'Une question ?' }),
      ),
      emptyContext(),
    );
    const [change] = applyCreations(decisions, community, config, AT);
    expect(change?.after).toMatchObject({ status: 'deleted', outbox: [], events: ['generic:q#deleted'] });
    expect(change?.counters.get('2026-11-20')).toMatchObject({ comments: 1, deleted: 1 });
  });
});

describe('the edits and deletes a batch applies', () => {
  it('moves exactly the counters an edit changes, keeping the comment’s place and adding the new team', async () => {
    const stored = await storedComment({
      id: 'e',
      text: 'Super',
      createdAt: '2026-11-20T09:00:00.000Z',
    });
    const edit = commentEvent({
      id: 'e',
      kind: 'edited',
      text: 'Quelle taille ?',
      createdAt: '2026-11-20T11:00:00.000Z',
    });
    const [change] = applyChanges(
      dedupeEvents(await planned(edit), contextWith(stored)),
      contextWith(stored).comments,
      community,
      config,
      LATER,
    );

    expect(change?.after).toMatchObject({ version: 2, events: [edit.dedupeKey], day: stored.day });
    expect(change?.after.comment.createdAt).toBe(stored.comment.createdAt);
    expect(change?.counters.get(stored.day)).toEqual({
      edited: 1,
      'intent:other': -1,
      'intent:question': 1,
      'routed:support': 1,
      'volume:generic|other|en|neutral': -1,
      'volume:generic|question|en|neutral': 1,
    });
    expect(change?.after.outbox).toEqual([
      {
        id: 'generic:e#support',
        kind: 'comment.routed',
        at: LATER,
        team: 'support',
        priority: 'normal',
        rule: 'questions',
      },
    ]);
  });

  it('marks a deleted comment once, keeping it in the volume', async () => {
    const stored = await storedComment({ id: 'd' });
    const deletion = commentEvent({ id: 'd', kind: 'deleted' });
    const changes = applyChanges(
      dedupeEvents(await planned(deletion, structuredClone(deletion)), contextWith(stored)),
      contextWith(stored).comments,
      community,
      config,
      AT,
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]?.after).toMatchObject({ status: 'deleted', version: 2, events: [deletion.dedupeKey] });
    expect(changes[0]?.counters.get(stored.day)).toEqual({ deleted: 1 });
  });

  it('applies two edits in one batch in order, each on the last', async () => {
    const stored = await storedComment({ id: 'e', text: 'Super' });
    const first = commentEvent({ id: 'e', kind: 'edited', text: 'Super ?' });
    const second = commentEvent({ id: 'e', kind: 'edited', text: 'Super nul' });
    const changes = applyChanges(
      dedupeEvents(await planned(first, second), contextWith(stored)),
      contextWith(stored).comments,
      community,
      config,
      AT,
    );
    expect(changes.map((c) => [c.before?.version, c.after.version])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(changes[1]?.after.classification.intent).toBe('complaint');
  });
});
