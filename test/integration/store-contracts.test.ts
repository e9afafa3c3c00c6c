import { describe, expect, it } from 'vitest';
import { CursorMovedOnError, DynamoCursorStore } from '../../shared/adapters/dynamodb-cursor-store.ts';
import { DynamoDispatchProgress } from '../../shared/adapters/dynamodb-dispatch-progress.ts';
import { contextRequest, planBatch } from '../../shared/core/plan-batch.ts';
import type {
  CommentStore,
  CursorStore,
  DispatchProgressStore,
  KpiStore,
  MemberStore,
  OnceStore,
  OpenItemStore,
} from '../../shared/core/ports.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import type { OutboxEntry } from '../../shared/domain/outbox.ts';
import type { ThreadItem } from '../../shared/domain/threads.ts';
import { commentEvent, KeywordClassifier, testConfig } from '../support/builders.ts';
import { freshStore } from '../support/dynamo.ts';
import { MemoryCursorStore, MemoryDispatchProgress, memoryStores } from '../support/memory-stores.ts';

/**
 * What the core relies on from each store port, asked of the in-memory stores the unit tests use
 * and of the DynamoDB adapters on DynamoDB Local alike: if both pass, a unit test on the memory
 * stores says something about production.
 */
interface Stores {
  comments: CommentStore;
  kpis: KpiStore;
  members: MemberStore;
  items: OpenItemStore;
  once: OnceStore;
}

const implementations: { name: string; make: () => Promise<Stores> }[] = [
  { name: 'in memory', make: async () => memoryStores() },
  { name: 'on DynamoDB Local', make: () => freshStore() },
];

const config = testConfig();
const community = config.communities[0] as (typeof config.communities)[number];
const classifier = new KeywordClassifier();
const at = (hhmm: string, day = '20') => `2026-11-${day}T${hhmm}:00.000Z`;
const AT = at('12:00');

/** Reads what the events touch and plans them, as the process use case does. */
async function plan(stores: Stores, events: CommentEvent[], when = AT) {
  const context = await stores.comments.loadContext('velo', contextRequest(events));
  const results = await classifier.classify(events.map((e) => ({ text: e.comment.text })));
  return planBatch(
    events.map((event, i) => ({ event, classification: results[i] })),
    context,
    community,
    config,
    when,
  );
}

async function commitEvents(stores: Stores, events: CommentEvent[]) {
  return stores.comments.commit('velo', (await plan(stores, events)).changes);
}

const question = (id: string, time = '08:00', day = '20') =>
  commentEvent({ id, author: 'm-1', text: 'Quel délai ?', createdAt: at(time, day) });
const answer = (id: string, to: string, time: string) =>
  commentEvent({
    id,
    author: 'brand-1',
    text: 'Deux jours.',
    createdAt: at(time),
    threadId: to,
    parentId: to,
  });

describe.each(implementations)('the store ports, $name', ({ make }) => {
  describe('CommentStore', () => {
    it('reads back what a commit wrote: comments, members, thread entries, applied edits', async () => {
      const stores = await make();
      const edit = commentEvent({ id: 'q', kind: 'edited', author: 'm-1', text: 'Quel délai, svp ?' });
      expect(await commitEvents(stores, [question('q')])).toBe('committed');
      expect(await commitEvents(stores, [answer('r', 'q', '08:30'), edit])).toBe('committed');

      const context = await stores.comments.loadContext(
        'velo',
        contextRequest([edit, answer('r', 'q', '08:30')]),
      );

      expect((await stores.comments.get('velo', 'generic:q'))?.comment.text).toBe('Quel délai, svp ?');
      expect(
        (await stores.comments.comments('velo', ['generic:q', 'generic:r', 'generic:none'])).length,
      ).toBe(2);
      expect([...context.comments.keys()].sort()).toEqual(['generic:q', 'generic:r']);
      expect(context.seenEvents.has(edit.dedupeKey)).toBe(true);
      expect([...context.members.keys()]).toEqual(['generic:m-1']);
      const entries = context.threads.get('generic:q') ?? [];
      expect(entries.map((e) => [e.kind, e.commentId]).sort()).toEqual([
        ['item', 'generic:q'],
        ['reply', 'generic:r'],
      ]);
      expect(entries.find((e) => e.kind === 'item')).toMatchObject({
        status: 'answered',
        answeredBy: 'generic:r',
      });
    });

    it('commits nothing and answers conflict when a record changed since it was read', async () => {
      const stores = await make();
      await commitEvents(stores, [question('q')]);
      const first = await plan(stores, [
        commentEvent({ id: 'q', kind: 'edited', author: 'm-1', text: 'Super' }),
      ]);
      const second = await plan(stores, [commentEvent({ id: 'q', kind: 'deleted', author: 'm-1' })]);

      expect(await stores.comments.commit('velo', first.changes)).toBe('committed');
      expect(await stores.comments.commit('velo', second.changes)).toBe('conflict');

      expect((await stores.comments.get('velo', 'generic:q'))?.status).toBe('active');
      expect(
        (await stores.kpis.readDays('velo', '2026-11-20', '2026-11-20')).get('2026-11-20'),
      ).toMatchObject({
        comments: 1,
        edited: 1,
      });
      expect(
        (await stores.kpis.readDays('velo', '2026-11-20', '2026-11-20')).get('2026-11-20')?.deleted ?? 0,
      ).toBe(0);
    });

    it('answers conflict to the second of two batches that create the same comment', async () => {
      const stores = await make();
      const one = await plan(stores, [question('twin')]);
      const two = await plan(stores, [question('twin')]);

      const results = [
        await stores.comments.commit('velo', one.changes),
        await stores.comments.commit('velo', two.changes),
      ];

      expect(results).toEqual(['committed', 'conflict']);
      expect(
        (await stores.kpis.readDays('velo', '2026-11-20', '2026-11-20')).get('2026-11-20'),
      ).toMatchObject({
        comments: 1,
        needsReply: 1,
        firstTimePosters: 1,
      });
      expect(await stores.members.members('velo', ['generic:m-1'])).toHaveLength(1);
    });

    it('leaves nothing to write when a committed batch is planned again', async () => {
      const stores = await make();
      const events = [question('q'), answer('r', 'q', '08:30')];
      await commitEvents(stores, events);
      const before = await stores.kpis.readDays('velo', '2026-11-20', '2026-11-20');

      const again = await plan(stores, structuredClone(events));

      expect(again.outcomes).toEqual(['duplicate', 'duplicate']);
      expect(again.changes).toMatchObject({ comments: [], members: [], threadEntries: [], tombstones: [] });
      expect(again.changes.counters.size).toBe(0);
      expect(await stores.comments.commit('velo', again.changes)).toBe('committed');
      expect(await stores.kpis.readDays('velo', '2026-11-20', '2026-11-20')).toEqual(before);
    });

    it('keeps a tombstone, with its deletion, until the creation it overtook is written over it', async () => {
      const stores = await make();
      const deletion = commentEvent({ id: 'late', kind: 'deleted' });
      expect(await commitEvents(stores, [deletion])).toBe('committed');

      const context = await stores.comments.loadContext('velo', contextRequest([question('late')]));
      expect([...context.tombstones]).toEqual([['generic:late', [deletion.dedupeKey]]]);
      expect(context.seenEvents.has(deletion.dedupeKey)).toBe(true);
      expect(await stores.comments.get('velo', 'generic:late')).toBeUndefined();

      expect(await commitEvents(stores, [question('late')])).toBe('committed');
      expect(await stores.comments.get('velo', 'generic:late')).toMatchObject({ status: 'deleted' });
      expect(await stores.items.openItems('velo')).toEqual([]);
    });
  });

  describe('KpiStore', () => {
    it('adds up each day’s counters and member activity, both ends of the range included', async () => {
      const stores = await make();
      await commitEvents(stores, [question('a', '08:00', '19'), question('b', '08:00', '20')]);
      await commitEvents(stores, [question('c', '09:00', '20'), question('d', '08:00', '22')]);

      const days = await stores.kpis.readDays('velo', '2026-11-20', '2026-11-22');
      const members = await stores.kpis.readMemberDays('velo', '2026-11-19', '2026-11-20');

      expect([...days.keys()]).toEqual(['2026-11-20', '2026-11-22']);
      expect(days.get('2026-11-20')).toMatchObject({ comments: 2, needsReply: 2 });
      expect([...members]).toEqual([
        ['2026-11-19', { 'n:generic:m-1': 1, 'f:generic:m-1': 1 }],
        ['2026-11-20', { 'n:generic:m-1': 2 }],
      ]);
    });
  });

  describe('OpenItemStore', () => {
    it('lists open items oldest first, due by their next escalation, until they are answered', async () => {
      const stores = await make();
      await commitEvents(stores, [question('q2', '08:30'), question('q1', '08:00')]);

      expect((await stores.items.openItems('velo')).map((i) => i.commentId)).toEqual([
        'generic:q1',
        'generic:q2',
      ]);
      expect((await stores.items.dueItems('velo', new Date(at('09:10')))).map((i) => i.commentId)).toEqual([
        'generic:q1',
      ]);
      const item = await stores.items.threadItem('velo', 'generic:q1', 'generic:q1');
      expect(item).toMatchObject({ status: 'open', escalationLevel: 0 });

      // Escalated once: next due at twice the SLA.
      const escalated: ThreadItem = {
        ...(item as ThreadItem),
        escalationLevel: 1,
        version: (item?.version ?? 0) + 1,
      };
      const change = {
        ...(await plan(stores, [])).changes,
        threadEntries: [{ previous: item as ThreadItem, next: escalated }],
      };
      expect(await stores.comments.commit('velo', change)).toBe('committed');
      expect((await stores.items.dueItems('velo', new Date(at('09:40')))).map((i) => i.commentId)).toEqual([
        'generic:q2',
      ]);
      expect(
        (await stores.items.dueItems('velo', new Date(at('10:00')))).map((i) => i.commentId).sort(),
      ).toEqual(['generic:q1', 'generic:q2']);

      await commitEvents(stores, [answer('r', 'q1', '10:30')]);
      expect((await stores.items.openItems('velo')).map((i) => i.commentId)).toEqual(['generic:q2']);
      expect(await stores.items.threadItem('velo', 'generic:q1', 'generic:q1')).toMatchObject({
        status: 'answered',
      });
      expect(await stores.items.threadItem('velo', 'generic:q1', 'generic:r')).toBeUndefined();
    });
  });

  describe('MemberStore', () => {
    it('answers the members it knows, by key', async () => {
      const stores = await make();
      await commitEvents(stores, [question('a')]);
      const found = await stores.members.members('velo', ['generic:m-1', 'generic:nobody']);
      expect(found.map((m) => [m.key, m.firstCommentId, m.streak])).toEqual([
        ['generic:m-1', 'generic:a', 1],
      ]);
    });
  });

  describe('OnceStore', () => {
    it('records a key once and answers done ever after', async () => {
      const stores = await make();
      const entry: OutboxEntry = { id: 'welcome#x', kind: 'member.welcome', at: AT, team: 'community' };
      const expires = new Date(Date.parse(AT) + 86_400_000);
      expect(await stores.once.recordOnce('digest-daily#velo#2026-11-20', entry, expires)).toBe('recorded');
      expect(await stores.once.recordOnce('digest-daily#velo#2026-11-20', entry, expires)).toBe('done');
      expect(await stores.once.recordOnce('digest-daily#velo#2026-11-21', entry, expires)).toBe('recorded');
    });
  });
});

const cursorStores: { name: string; make: () => Promise<CursorStore> }[] = [
  { name: 'in memory', make: async () => new MemoryCursorStore() },
  {
    name: 'on DynamoDB Local',
    make: async () => {
      const { client, tableName } = await freshStore();
      return new DynamoCursorStore(client, { tableName });
    },
  },
];

describe.each(cursorStores)('CursorStore, $name', ({ make }) => {
  it('keeps a cursor and its walk, and never moves it back behind one saved', async () => {
    const cursors = await make();
    expect(await cursors.load('youtube#threads')).toBeUndefined();

    await cursors.save('youtube#threads', {
      since: at('10:00'),
      walk: { pageToken: 'p2', newest: at('11:00') },
    });
    expect(await cursors.load('youtube#threads')).toEqual({
      since: at('10:00'),
      walk: { pageToken: 'p2', newest: at('11:00') },
    });
    await cursors.save('youtube#threads', { since: at('10:00') });
    await expect(cursors.save('youtube#threads', { since: at('09:00') })).rejects.toBeInstanceOf(
      CursorMovedOnError,
    );

    expect(await cursors.load('youtube#threads')).toEqual({ since: at('10:00') });
    expect(await cursors.load('reddit#new')).toBeUndefined();
  });
});

const progressStores: { name: string; make: () => Promise<DispatchProgressStore> }[] = [
  { name: 'in memory', make: async () => new MemoryDispatchProgress() },
  {
    name: 'on DynamoDB Local',
    make: async () => {
      const { client, tableName } = await freshStore();
      return new DynamoDispatchProgress(client, tableName);
    },
  },
];

describe.each(progressStores)('DispatchProgressStore, $name', ({ make }) => {
  it('answers the attempt that began and never ended, and nothing once one ended', async () => {
    const progress = await make();
    const now = new Date(AT);
    expect(await progress.begin('shard-1', '100', '120', now)).toEqual({});
    expect(await progress.begin('shard-1', '100', '130', now)).toEqual({
      unfinished: { first: '100', last: '120' },
    });
    await progress.end('shard-1', '130', now);
    expect(await progress.begin('shard-1', '131', '140', now)).toEqual({});
    expect(await progress.begin('shard-2', '5', '9', now)).toEqual({});
  });
});
