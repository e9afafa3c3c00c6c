import { describe, expect, it } from 'vitest';
import { dedupeEvents } from '../../../../shared/core/planning/dedupe.ts';
import { commentEvent } from '../../../support/builders.ts';
import { contextWith, emptyContext, planned, storedComment } from '../../../support/planning.ts';

const kinds = (decisions: ReturnType<typeof dedupeEvents>) => decisions.map((d) => d.kind);

describe('deduping the events of a batch', () => {
  it('records a new comment and calls its second delivery in the batch a duplicate', async () => {
    const event = commentEvent({ id: 'a' });
    const decisions = dedupeEvents(await planned(event, structuredClone(event)), emptyContext());
    expect(kinds(decisions)).toEqual(['record', 'duplicate']);
    expect(decisions[0]).toMatchObject({ deleted: false, overTombstone: false, events: [] });
  });

  it('calls the creation of a stored comment a duplicate', async () => {
    const stored = await storedComment({ id: 'a' });
    expect(kinds(dedupeEvents(await planned(commentEvent({ id: 'a' })), contextWith(stored)))).toEqual([
      'duplicate',
    ]);
  });

  it('ignores a creation it has no classification for', () => {
    expect(kinds(dedupeEvents([{ event: commentEvent({ id: 'a' }) }], emptyContext()))).toEqual(['ignored']);
  });

  it('records an edit that overtook its creation, carrying the edit so its redelivery is known', async () => {
    const edit = commentEvent({ id: 'a', kind: 'edited', text: 'Finalement ?' });
    const decisions = dedupeEvents(await planned(edit, commentEvent({ id: 'a' })), emptyContext());
    expect(kinds(decisions)).toEqual(['record', 'duplicate']);
    expect(decisions[0]).toMatchObject({ events: [edit.dedupeKey] });
  });

  it('leaves a tombstone for a deletion that overtook the creation, and records the creation as deleted', async () => {
    const deletion = commentEvent({ id: 'a', kind: 'deleted' });
    const again = { ...commentEvent({ id: 'a', kind: 'deleted' }), dedupeKey: 'another-delivery' };
    const decisions = dedupeEvents(await planned(deletion, again, commentEvent({ id: 'a' })), emptyContext());
    expect(kinds(decisions)).toEqual(['tombstone', 'duplicate', 'record']);
    expect(decisions[2]).toMatchObject({ deleted: true, overTombstone: false, events: [deletion.dedupeKey] });
  });

  it('records a creation over a stored tombstone as deleted, keeping the deletion it carries', async () => {
    const context = emptyContext();
    context.tombstones.set('generic:a', ['generic:a#deleted']);
    const [decision] = dedupeEvents(await planned(commentEvent({ id: 'a' })), context);
    expect(decision).toMatchObject({
      kind: 'record',
      deleted: true,
      overTombstone: true,
      events: ['generic:a#deleted'],
    });
  });

  it('applies an edit and a delete of a stored comment once each', async () => {
    const context = contextWith(await storedComment({ id: 'a' }));
    const edit = commentEvent({ id: 'a', kind: 'edited', text: 'Autre chose ?' });
    const deletion = commentEvent({ id: 'a', kind: 'deleted' });
    expect(
      kinds(dedupeEvents(await planned(edit, structuredClone(edit), deletion, deletion), context)),
    ).toEqual(['edit', 'duplicate', 'delete', 'duplicate']);
  });

  it('knows an edit already applied from the events the store read', async () => {
    const context = contextWith(await storedComment({ id: 'a' }));
    const edit = commentEvent({ id: 'a', kind: 'edited', text: 'Autre chose ?' });
    context.seenEvents.add(edit.dedupeKey);
    expect(kinds(dedupeEvents(await planned(edit), context))).toEqual(['duplicate']);
  });

  it('ignores an edit of a deleted comment and calls its second deletion a duplicate', async () => {
    const context = contextWith(await storedComment({ id: 'a' }, { deleted: true }));
    const decisions = dedupeEvents(
      await planned(
        commentEvent({ id: 'a', kind: 'edited', text: 'Et alors ?' }),
        commentEvent({ id: 'a', kind: 'deleted' }),
      ),
      context,
    );
    expect(kinds(decisions)).toEqual(['ignored', 'duplicate']);
  });
});
