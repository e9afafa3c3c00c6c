import { describe, expect, it } from 'vitest';
import type { CommentStore } from '../../../shared/core/ports.ts';
import { processCommentEvents } from '../../../shared/core/process-comments.ts';
import { readKpis } from '../../../shared/core/read-kpis.ts';
import { DependencyError } from '../../../shared/domain/errors.ts';
import { commentEvent, KeywordClassifier, testConfig } from '../../support/builders.ts';
import { memoryStores, PlannedTogether } from '../../support/memory-stores.ts';

/** The process use case on the in-memory stores (the same cases run on DynamoDB Local in test/integration). */
const config = testConfig();
const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;

function setup() {
  const stores = memoryStores();
  const classifier = new KeywordClassifier();
  const deps = (store: CommentStore = stores.comments) => ({
    config,
    classifierFor: () => classifier,
    store,
  });
  const totals = async () =>
    (
      await readKpis(
        { community: 'velo', from: '2026-11-20', to: '2026-11-20' },
        { config, kpis: stores.kpis },
      )
    ).totals;
  return { stores, classifier, deps, totals };
}

describe('processing comment events', () => {
  it('records, counts and routes a batch of new comments', async () => {
    const { stores, deps, totals } = setup();
    const report = await processCommentEvents(
      [
        commentEvent({ id: 'q1', text: 'Pourquoi ma commande est-elle en retard ?' }),
        commentEvent({ id: 's1', text: 'Une idée : ajoutez un antivol intégré' }),
        commentEvent({ id: 't1', text: 'Quel idiot ce vendeur' }),
        commentEvent({
          id: 'b1',
          text: 'Bonjour, nous regardons cela.',
          author: 'brand-1',
          threadId: 'q1',
          createdAt: at('10:30'),
        }),
      ],
      deps(),
    );

    expect(report).toMatchObject({ failed: [], recorded: 4, duplicates: 0, owed: 3 });
    expect(await totals()).toMatchObject({
      comments: 4,
      memberComments: 3,
      brandReplies: 1,
      toxic: 1,
      answered: 1,
    });
    expect((await stores.items.openItems('velo')).map((i) => i.commentId)).toEqual(['generic:s1']);
  });

  it('changes nothing, classifies nothing and commits nothing when a batch is delivered again', async () => {
    const { stores, classifier, deps, totals } = setup();
    const events = [
      commentEvent({ id: 'r1', text: 'Comment changer la batterie ?' }),
      commentEvent({ id: 'r1', kind: 'edited', text: 'Comment changer la batterie ? Merci' }),
      commentEvent({ id: 'r2', kind: 'deleted' }),
    ];
    await processCommentEvents(events, deps());
    const before = { totals: await totals(), commits: stores.table.commits, calls: classifier.calls };

    const again = await processCommentEvents(structuredClone(events), deps());

    expect(again).toMatchObject({ failed: [], recorded: 0, changed: 0, duplicates: 3, owed: 0 });
    expect({ totals: await totals(), commits: stores.table.commits, calls: classifier.calls }).toEqual(
      before,
    );
  });

  it('answers a question whose brand reply was planned by another batch on the same reading', async () => {
    const { stores, deps, totals } = setup();
    const together = new PlannedTogether(stores.comments, 2);
    const question = commentEvent({ id: 'q', text: 'Quel délai ?', createdAt: at('08:00') });
    const reply = commentEvent({
      id: 'r',
      author: 'brand-1',
      text: 'Trois jours.',
      createdAt: at('08:20'),
      threadId: 'q',
    });

    // Each batch plans without the other's entry; the one that commits second sees both and answers.
    await Promise.all([
      processCommentEvents([question], deps(together)),
      processCommentEvents([reply], deps(together)),
    ]);

    expect(await totals()).toMatchObject({ needsReply: 1, answered: 1, answeredWithinSla: 1 });
    expect(await stores.items.openItems('velo')).toEqual([]);
    expect(await stores.items.threadItem('velo', 'generic:q', 'generic:q')).toMatchObject({
      answeredBy: 'generic:r',
    });
  });

  it('records a comment once when two deliveries of it are planned on the same reading', async () => {
    const { stores, deps, totals } = setup();
    const together = new PlannedTogether(stores.comments, 2);
    const event = commentEvent({ id: 'twin', text: 'Où est ma commande ?' });

    const reports = await Promise.all([
      processCommentEvents([event], deps(together)),
      processCommentEvents([structuredClone(event)], deps(together)),
    ]);

    expect(reports.map((r) => r.recorded).sort()).toEqual([0, 1]);
    expect(reports.map((r) => r.owed).sort()).toEqual([0, 1]);
    expect(stores.table.conflicts).toBe(1);
    expect(await totals()).toMatchObject({ comments: 1, needsReply: 1, firstTimePosters: 1 });
  });

  it('keeps a comment deleted when its deletion and its creation are planned on the same reading', async () => {
    const { stores, deps, totals } = setup();
    const together = new PlannedTogether(stores.comments, 2);
    await Promise.all([
      processCommentEvents([commentEvent({ id: 'x', kind: 'deleted' })], deps(together)),
      processCommentEvents([commentEvent({ id: 'x', text: 'Une question ?' })], deps(together)),
    ]);
    expect(await totals()).toMatchObject({ comments: 1, deleted: 1, needsReply: 0 });
    expect(await stores.items.openItems('velo')).toEqual([]);
  });

  it('counts nothing of a batch whose commit failed, and everything once when it is retried', async () => {
    const { stores, deps, totals } = setup();
    const failing: CommentStore = {
      loadContext: (c, r) => stores.comments.loadContext(c, r),
      commit: async () => {
        throw new DependencyError('DynamoDB is unavailable');
      },
      get: (c, id) => stores.comments.get(c, id),
      comments: (c, ids) => stores.comments.comments(c, ids),
    };
    const events = [
      commentEvent({ id: 'a', text: 'Quel prix ?' }),
      commentEvent({ id: 'b', author: 'm-2', text: 'Super' }),
    ];

    const failed = await processCommentEvents(events, deps(failing));
    expect(failed.failed.map((f) => f.index)).toEqual([0, 1]);
    expect(await totals()).toMatchObject({ comments: 0 });

    expect(await processCommentEvents(events, deps())).toMatchObject({ failed: [], recorded: 2 });
    expect(await totals()).toMatchObject({ comments: 2, firstTimePosters: 2, needsReply: 1 });
  });

  it('answers every open question before a brand reply, however many there are', async () => {
    const { stores, deps, totals } = setup();
    const questions = Array.from({ length: 45 }, (_, i) =>
      commentEvent({
        id: `q${i}`,
        author: `m-${i}`,
        text: 'Et la taille ?',
        threadId: 'post',
        createdAt: at('08:00'),
      }),
    );
    for (let i = 0; i < questions.length; i += 15)
      await processCommentEvents(questions.slice(i, i + 15), deps());

    await processCommentEvents(
      [
        commentEvent({
          id: 'r',
          author: 'brand-1',
          text: 'Taille M.',
          threadId: 'post',
          createdAt: at('08:30'),
        }),
      ],
      deps(),
    );

    expect(await totals()).toMatchObject({ needsReply: 45, answered: 45, answeredWithinSla: 45 });
    expect(await stores.items.openItems('velo')).toEqual([]);
  });
});
