import { describe, expect, it } from 'vitest';
import { processCommentEvents } from '../../../shared/core/process-comments.ts';
import { readKpis } from '../../../shared/core/read-kpis.ts';
import { watchSla } from '../../../shared/core/watch-sla.ts';
import { commentEvent, KeywordClassifier, testConfig } from '../../support/builders.ts';
import { memoryStores } from '../../support/memory-stores.ts';

/** The SLA watch on the in-memory stores (SLA 60 minutes, no opening hours). */
const config = testConfig();
const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;

async function withQuestion() {
  const stores = memoryStores();
  const classifier = new KeywordClassifier();
  await processCommentEvents(
    [commentEvent({ id: 'q', author: 'm-1', text: 'Livraison ?', createdAt: at('08:00') })],
    { config, classifierFor: () => classifier, store: stores.comments },
  );
  const watch = (time: string) =>
    watchSla('velo', { config, items: stores.items, store: stores.comments, now: () => new Date(at(time)) });
  const totals = async () =>
    (
      await readKpis(
        { community: 'velo', from: '2026-11-20', to: '2026-11-20' },
        { config, kpis: stores.kpis },
      )
    ).totals;
  return { stores, classifier, watch, totals };
}

describe('watching SLAs', () => {
  it('escalates an item past its SLA to its team, past twice its SLA to the escalation team, each once', async () => {
    const { stores, watch, totals } = await withQuestion();

    expect((await watch('08:59')).escalated).toEqual([]);
    expect((await watch('09:00')).escalated).toEqual([{ commentId: 'generic:q', level: 1, team: 'support' }]);
    expect((await watch('09:30')).escalated).toEqual([]);
    expect((await watch('10:00')).escalated).toEqual([
      { commentId: 'generic:q', level: 2, team: 'moderation' },
    ]);
    expect((await watch('23:00')).escalated).toEqual([]);

    const item = await stores.items.threadItem('velo', 'generic:q', 'generic:q');
    expect(item?.outbox?.map((e) => e.id)).toEqual(['escalation#generic:q#1', 'escalation#generic:q#2']);
    expect(await totals()).toMatchObject({ escalated: 1, escalatedAgain: 1 });
  });

  it('owes one escalation however many watchers run at once', async () => {
    const { watch, totals } = await withQuestion();
    const reports = await Promise.all([watch('09:05'), watch('09:05'), watch('09:05')]);
    expect(reports.flatMap((r) => r.escalated)).toHaveLength(1);
    expect(await totals()).toMatchObject({ escalated: 1 });
  });

  it('does not escalate an item answered in time', async () => {
    const { stores, classifier, watch } = await withQuestion();
    await processCommentEvents(
      [commentEvent({ id: 'r', author: 'brand-1', text: 'Demain.', threadId: 'q', createdAt: at('08:40') })],
      { config, classifierFor: () => classifier, store: stores.comments },
    );
    expect((await watch('12:00')).escalated).toEqual([]);
  });
});
