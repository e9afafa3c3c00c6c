import { describe, expect, it } from 'vitest';
import { topMembers } from '../../shared/core/insights.ts';
import { processCommentEvents } from '../../shared/core/process-comments.ts';
import { readKpis } from '../../shared/core/read-kpis.ts';
import { commentEvent, KeywordClassifier, RecordingNotifier, testConfig } from '../support/builders.ts';
import { freshStore } from '../support/dynamo.ts';
import { outboxOf } from '../support/outbox.ts';

/** Deliveries that overtake or collide with each other, as SQS and the platforms' retries produce them. */
const config = testConfig();
const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;

async function setup(notifier: RecordingNotifier = new RecordingNotifier()) {
  const table = await freshStore();
  const { store, items } = table;
  const outbox = outboxOf(table, config, notifier);
  const classifier = new KeywordClassifier();
  const deps = { config, classifierFor: () => classifier, store };
  const totals = async () =>
    (
      await readKpis(
        { community: 'velo', from: '2026-11-20', to: '2026-11-20' },
        { config, kpis: table.kpis },
      )
    ).totals;
  return { store, items, table, deps, totals, outbox };
}

describe('racing deliveries', () => {
  it('answers a question whose brand reply is processed at the same moment in another batch', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const { deps, totals } = await setup();
      const question = commentEvent({ id: `q${trial}`, text: 'Quel délai ?', createdAt: at('08:00') });
      const reply = commentEvent({
        id: `r${trial}`,
        author: 'brand-1',
        text: 'Trois jours.',
        createdAt: at('08:20'),
        threadId: `q${trial}`,
        parentId: `q${trial}`,
      });
      await Promise.all([processCommentEvents([question], deps), processCommentEvents([reply], deps)]);
      expect(await totals()).toMatchObject({ needsReply: 1, answered: 1, answeredWithinSla: 1 });
    }
  });

  it('owes a team one notification when two deliveries of one comment are processed at once', async () => {
    const notifier = new RecordingNotifier();
    const { deps, outbox } = await setup(notifier);
    const event = commentEvent({ id: 'twin', text: 'Où est ma commande ?' });
    const reports = await Promise.all([
      processCommentEvents([event], deps),
      processCommentEvents([structuredClone(event)], deps),
    ]);
    await outbox.drain();
    expect(reports.map((r) => r.owed).sort()).toEqual([0, 1]);
    expect(notifier.published.map((n) => n.message.id)).toEqual(['generic:twin#support']);
  });

  it('withdraws a deleted question even when the deletion names no thread', async () => {
    const { items, deps, totals } = await setup();
    await processCommentEvents(
      [commentEvent({ id: 'in-thread', text: 'Et la garantie ?', threadId: 'topic-1' })],
      deps,
    );
    await processCommentEvents([commentEvent({ id: 'in-thread', kind: 'deleted' })], deps);
    expect(await totals()).toMatchObject({ needsReply: 0, deleted: 1 });
    expect(await items.openItems('velo')).toEqual([]);
  });

  it('records a comment deleted before its creation arrived as deleted, never waiting for an answer', async () => {
    const notifier = new RecordingNotifier();
    const { items, deps, totals, outbox } = await setup(notifier);
    await processCommentEvents([commentEvent({ id: 'late', kind: 'deleted' })], deps);
    await processCommentEvents([commentEvent({ id: 'late', text: 'Une question ?' })], deps);
    await outbox.drain();
    expect(await totals()).toMatchObject({ comments: 1, deleted: 1, needsReply: 0 });
    expect(await items.openItems('velo')).toEqual([]);
    expect(notifier.published).toEqual([]);
  });

  it('counts an answered question once when edits turn it into praise and back', async () => {
    const { deps, totals } = await setup();
    await processCommentEvents(
      [commentEvent({ id: 'flip', text: 'Quelle taille ?', createdAt: at('08:00') })],
      deps,
    );
    await processCommentEvents(
      [
        commentEvent({
          id: 'ans',
          author: 'brand-1',
          text: 'Taille M.',
          createdAt: at('08:10'),
          threadId: 'flip',
        }),
      ],
      deps,
    );
    await processCommentEvents([commentEvent({ id: 'flip', kind: 'edited', text: 'Merci, parfait' })], deps);
    await processCommentEvents(
      [commentEvent({ id: 'flip', kind: 'edited', text: 'Quelle taille déjà ?' })],
      deps,
    );
    expect(await totals()).toMatchObject({ needsReply: 1, answered: 1, edited: 2 });
  });

  it('records a comment deleted and created in one batch as deleted', async () => {
    const { items, deps, totals } = await setup();
    const report = await processCommentEvents(
      [
        commentEvent({ id: 'both', kind: 'deleted' }),
        { ...commentEvent({ id: 'both', kind: 'deleted' }), dedupeKey: 'another-delivery-of-the-delete' },
        commentEvent({ id: 'both', text: 'Une question ?' }),
      ],
      deps,
    );
    expect(report.failed).toEqual([]);
    expect(await totals()).toMatchObject({ comments: 1, deleted: 1, needsReply: 0 });
    expect(await items.openItems('velo')).toEqual([]);
  });

  it('keeps a comment deleted whichever of its creation and deletion is processed first', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const { items, deps, totals } = await setup();
      const id = `race${trial}`;
      await Promise.all([
        processCommentEvents([commentEvent({ id, kind: 'deleted' })], deps),
        processCommentEvents([commentEvent({ id, text: 'Une question ?' })], deps),
      ]);
      expect(await totals()).toMatchObject({ comments: 1, deleted: 1, needsReply: 0 });
      expect(await items.openItems('velo')).toEqual([]);
    }
  });

  it('stops counting a deleted brand reply as the answer to later questions', async () => {
    const { deps, totals } = await setup();
    await processCommentEvents(
      [
        commentEvent({
          id: 'r',
          author: 'brand-1',
          text: 'Voir la FAQ.',
          createdAt: at('09:00'),
          threadId: 't',
        }),
      ],
      deps,
    );
    await processCommentEvents([commentEvent({ id: 'r', kind: 'deleted' })], deps);
    // A question dated before the reply, delivered late: the deleted reply must not answer it.
    await processCommentEvents(
      [commentEvent({ id: 'q', text: 'Où est la FAQ ?', createdAt: at('08:50'), threadId: 't' })],
      deps,
    );
    expect(await totals()).toMatchObject({ needsReply: 1, answered: 0 });
  });

  it('thanks and welcomes nobody who posted something toxic in the window', async () => {
    const { table, deps } = await setup();
    await processCommentEvents(
      [
        commentEvent({ id: 'n1', author: 'nice', text: 'Merci !' }),
        commentEvent({ id: 'r1', author: 'rude', text: 'Super' }),
        commentEvent({ id: 'r2', author: 'rude', text: 'Encore' }),
        commentEvent({ id: 'r3', author: 'rude', text: 'Quel idiot' }),
      ],
      deps,
    );
    const top = await topMembers(
      { community: 'velo', days: '1' },
      { config, kpis: table.kpis, members: table.members, now: () => new Date(at('20:00')) },
    );
    expect(top.topContributors.map((m) => m.member)).toEqual(['generic:nice']);
    expect(top.newcomers.map((m) => m.member)).toEqual(['generic:nice']);
  });

  it('ignores an edit of a deleted comment', async () => {
    const { items, deps, totals } = await setup();
    await processCommentEvents([commentEvent({ id: 'gone', text: 'Super' })], deps);
    await processCommentEvents([commentEvent({ id: 'gone', kind: 'deleted' })], deps);
    await processCommentEvents(
      [commentEvent({ id: 'gone', kind: 'edited', text: 'Finalement, une question ?' })],
      deps,
    );
    expect(await totals()).toMatchObject({ needsReply: 0, deleted: 1, edited: 0 });
    expect(await items.openItems('velo')).toEqual([]);
  });
});
