import type { Classification } from '../../domain/classification.ts';
import type { CommentEvent } from '../../domain/comment.ts';
import type { BatchContext } from '../ports.ts';

/**
 * Step 1 of planning a batch: what each event still does, given what the store holds and the
 * events before it in the batch. Only existence and status are tracked here; what the comments
 * become is decided by the next steps.
 */
export interface PlannedEvent {
  event: CommentEvent;
  classification?: Classification;
}

export type Decision =
  /** A new comment (or an edit that overtook its creation). `deleted`: its deletion came first. */
  | {
      kind: 'record';
      event: CommentEvent;
      classification: Classification;
      deleted: boolean;
      /** A tombstone stands in the store where it goes. */
      overTombstone: boolean;
      /** Edit and delete events it already carries (the edit it was created from, the deletions before it). */
      events: string[];
    }
  /** A deletion of a comment not seen yet: remembered, so the creation is recorded as deleted. */
  | { kind: 'tombstone'; event: CommentEvent }
  | { kind: 'edit'; event: CommentEvent; classification: Classification }
  | { kind: 'delete'; event: CommentEvent }
  | { kind: 'duplicate' | 'ignored'; event: CommentEvent };

export function dedupeEvents(items: readonly PlannedEvent[], context: BatchContext): Decision[] {
  // Only existence and status matter here: what the comments become is decided by the next steps.
  const status = new Map<string, 'active' | 'deleted'>(
    [...context.comments].map(([id, c]) => [id, c.status]),
  );
  const seen = new Set(context.seenEvents);
  // Deleted before created: in the store, or earlier in this batch, with the events that did it.
  const gone = new Map([...context.tombstones].map(([id, events]) => [id, [...events]]));
  return items.map(({ event, classification }): Decision => {
    const id = event.comment.id;
    const existing = status.get(id);
    if (event.kind === 'created' || (event.kind === 'edited' && !existing)) {
      if (existing) return { kind: 'duplicate', event };
      if (!classification || (event.kind === 'edited' && seen.has(event.dedupeKey)))
        return { kind: 'ignored', event };
      const events = [...(gone.get(id) ?? [])];
      if (event.kind === 'edited') {
        seen.add(event.dedupeKey);
        events.push(event.dedupeKey);
      }
      const deleted = gone.has(id);
      status.set(id, deleted ? 'deleted' : 'active');
      return {
        kind: 'record',
        event,
        classification,
        deleted,
        overTombstone: context.tombstones.has(id),
        events,
      };
    }
    if (seen.has(event.dedupeKey)) return { kind: 'duplicate', event };
    if (!existing) {
      if (event.kind !== 'deleted' || gone.has(id)) return { kind: 'duplicate', event };
      seen.add(event.dedupeKey);
      gone.set(id, [event.dedupeKey]);
      return { kind: 'tombstone', event };
    }
    if (event.kind === 'deleted') {
      if (existing === 'deleted') return { kind: 'duplicate', event };
      seen.add(event.dedupeKey);
      status.set(id, 'deleted');
      return { kind: 'delete', event };
    }
    // An edit of a deleted comment changes nothing.
    if (existing === 'deleted' || !classification) return { kind: 'ignored', event };
    seen.add(event.dedupeKey);
    return { kind: 'edit', event, classification };
  });
}
