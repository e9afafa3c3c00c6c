import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { OutboxChange } from '../core/ports.ts';
import { addedEntries, type OutboxEntry } from '../domain/outbox.ts';
import type { ThreadItem } from '../domain/threads.ts';
import { commentFromItem, entryFromItem, memberFromItem } from './dynamodb-table.ts';

type Item = Record<string, unknown>;
type Image = Record<string, AttributeValue>;

export interface UnreadableChange {
  sequence: string;
  raw: unknown;
  reason: string;
}

/**
 * The table's change stream, read as the outbox: each record whose write added outbox entries
 * becomes one OutboxChange (in stream order); records that added none are dropped; a record that
 * cannot be read is returned apart, for the dead letters.
 */
export function outboxChanges(records: readonly DynamoDBRecord[]): {
  changes: OutboxChange[];
  unreadable: UnreadableChange[];
} {
  const changes: OutboxChange[] = [];
  const unreadable: UnreadableChange[] = [];
  for (const record of records) {
    const sequence = record.dynamodb?.SequenceNumber ?? '';
    if (record.eventName === 'REMOVE') continue; // expiry or deletion: owes nothing
    try {
      const after = image(record.dynamodb?.NewImage);
      if (!after || !Array.isArray(after.outbox)) continue;
      const before = image(record.dynamodb?.OldImage);
      const entries = addedEntries(
        before?.outbox as OutboxEntry[] | undefined,
        after.outbox as OutboxEntry[],
      );
      if (entries.length === 0) continue;
      changes.push({ sequence, community: communityOf(after), subject: subjectOf(after), entries });
    } catch (error) {
      unreadable.push({ sequence, raw: record, reason: (error as Error).message });
    }
  }
  return { changes, unreadable };
}

class UnreadableRecord extends Error {}

function image(value: unknown): Item | undefined {
  return value ? (unmarshall(emptyMapsTyped(value as Image)) as Item) : undefined;
}

/**
 * An empty map can reach us as a bare `{}` instead of `{"M": {}}` (DynamoDB Local's stream does
 * this): read it as the empty map it is rather than failing the whole record.
 */
function emptyMapsTyped(attributes: Image): Image {
  const typed = (v: AttributeValue): AttributeValue => {
    if (Object.keys(v).length === 0) return { M: {} };
    if (v.M) return { M: emptyMapsTyped(v.M) };
    if (v.L) return { L: v.L.map(typed) };
    return v;
  };
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, typed(v)]));
}

/** Keys are `<KIND>#<community>#…` (dynamodb-table.ts); a digest's once-record is `ONCE#digest-…#<community>#…`. */
function communityOf(item: Item): string {
  const pk = String(item.pk ?? '');
  const [kind, first, second] = pk.split('#');
  const community = kind === 'ONCE' ? second : first;
  if (!community) throw new UnreadableRecord(`no community in key "${pk}"`);
  return community;
}

function subjectOf(item: Item): OutboxChange['subject'] {
  const pk = String(item.pk ?? '');
  if (pk.startsWith('COMMENT#')) return { kind: 'comment', comment: commentFromItem(item) };
  if (pk.startsWith('MEMBER#')) return { kind: 'member', member: memberFromItem(item) };
  if (pk.startsWith('THREAD#')) {
    const entry = entryFromItem(item);
    if (entry.kind !== 'item') throw new UnreadableRecord(`outbox entries on a thread reply (${pk})`);
    return { kind: 'item', item: entry as ThreadItem };
  }
  if (pk.startsWith('ONCE#')) return { kind: 'once' };
  throw new UnreadableRecord(`outbox entries on an unknown record "${pk}"`);
}
