import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoStores } from '../../shared/adapters/dynamodb-stores.ts';
import { sendDigest } from '../../shared/core/digests.ts';
import { openThreads, topMembers } from '../../shared/core/insights.ts';
import { processCommentEvents } from '../../shared/core/process-comments.ts';
import { readKpis } from '../../shared/core/read-kpis.ts';
import { watchSla } from '../../shared/core/watch-sla.ts';
import type { CommentEvent } from '../../shared/domain/comment.ts';
import { NotificationMessage, SlaEscalatedMessage } from '../../shared/domain/notification.ts';
import { commentEvent, KeywordClassifier, RecordingNotifier, testConfig } from '../support/builders.ts';
import { freshStore } from '../support/dynamo.ts';
import { outboxOf } from '../support/outbox.ts';

/**
 * A scripted day in one community (SLA 60 min, Paris), delivered out of order and twice, on two
 * platforms. Every expected figure below is worked out by hand from the script.
 */
const config = testConfig();
const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;

function slackEvent(id: string, author: string, text: string, time: string, thread?: string): CommentEvent {
  const base = commentEvent({ id, author, text, createdAt: at(time) });
  const commentId = `slack:${id}`;
  return {
    ...base,
    dedupeKey: `${commentId}#created`,
    comment: {
      ...base.comment,
      id: commentId,
      source: 'slack',
      platform: 'slack',
      threadId: thread ? `slack:${thread}` : commentId,
      ...(thread ? { parentId: `slack:${thread}` } : {}),
    },
  };
}

const day: CommentEvent[][] = [
  // Batch 1: the brand's answer to q5 arrives before q5 itself.
  [
    commentEvent({
      id: 'r5',
      author: 'brand-1',
      text: 'Voici la réponse.',
      createdAt: at('11:05'),
      threadId: 'q5',
      parentId: 'q5',
    }),
  ],
  [
    commentEvent({ id: 'q1', author: 'm-1', text: 'Comment régler la selle ?', createdAt: at('08:00') }),
    commentEvent({ id: 'q2', author: 'm-2', text: 'My wheel is broken', createdAt: at('08:10') }),
    commentEvent({ id: 'q3', author: 'm-3', text: 'Quelle garantie ?', createdAt: at('08:20') }),
    commentEvent({ id: 'q4', author: 'm-1', text: 'Et la batterie ?', createdAt: at('09:00') }),
    commentEvent({ id: 's1', author: 'm-4', text: 'Super vélo', createdAt: at('09:10') }),
    commentEvent({ id: 'q5', author: 'm-5', text: 'Livraison en Suisse ?', createdAt: at('11:00') }),
    slackEvent('sq', 'm-6', 'Is the app down?', '12:00'),
  ],
  [
    commentEvent({
      id: 'r1',
      author: 'brand-1',
      text: 'Molette sous la selle.',
      createdAt: at('08:30'),
      threadId: 'q1',
      parentId: 'q1',
    }),
    commentEvent({
      id: 'a3',
      author: 'brand-bot',
      text: 'Merci, nous revenons vers vous.',
      createdAt: at('08:25'),
      threadId: 'q3',
      parentId: 'q3',
    }),
    commentEvent({
      id: 'h1',
      author: 'm-2',
      text: 'Moi aussi, molette.',
      createdAt: at('08:40'),
      threadId: 'q1',
      parentId: 'q1',
    }),
    commentEvent({ id: 'q4', kind: 'deleted', author: 'm-1', createdAt: at('09:00') }),
    commentEvent({
      id: 's1',
      kind: 'edited',
      author: 'm-4',
      text: 'Super vélo mais nul ?',
      createdAt: at('09:10'),
    }),
    slackEvent('sr', 'brand-1', 'Not down, try again', '12:20', 'sq'),
  ],
  [
    commentEvent({
      id: 'r2',
      author: 'brand-1',
      text: 'Nous envoyons une roue.',
      createdAt: at('10:10'),
      threadId: 'q2',
      parentId: 'q2',
    }),
  ],
];

describe('a day of community traffic', () => {
  let stores: DynamoStores;
  let outbox: ReturnType<typeof outboxOf>;
  const notifier = new RecordingNotifier();

  beforeAll(async () => {
    const setup = await freshStore();
    stores = setup;
    outbox = outboxOf(setup, config, notifier);
    const classifier = new KeywordClassifier();
    const deps = { config, classifierFor: () => classifier, store: stores.comments };
    for (const batch of day) expect((await processCommentEvents(batch, deps)).failed).toEqual([]);
    // Every batch delivered again, in another order: nothing may change.
    for (const batch of [...day].reverse()) await processCommentEvents(structuredClone(batch), deps);
    await outbox.drain();
  });

  it('counts exactly the expected response KPIs', async () => {
    const { totals } = await readKpis(
      { community: 'velo', from: '2026-11-20', to: '2026-11-20' },
      { config, kpis: stores.kpis },
    );
    expect(totals).toMatchObject({
      comments: 13, // the deleted q4 still counts in the volume
      memberComments: 8, // q1 q2 q3 q4 s1 q5 sq h1
      brandReplies: 5, // r1 r2 r5 sr, and the automated a3
      deleted: 1,
      edited: 1,
      // q1, q2, q3, q5, s1 (after its edit), sq; q4 was withdrawn when deleted
      needsReply: 6,
      // q1 (30 min), q2 (120 min), q5 (5 min), sq (20 min); q3's only reply is automated
      answered: 4,
      answeredWithinSla: 3,
      firstTimePosters: 6,
      activeMembers: { d1: 6, d7: 6, d30: 6 },
    });
    expect(totals.firstResponse.count).toBe(4);
    expect(totals.firstResponse.meanSeconds).toBe(((30 + 120 + 5 + 20) * 60) / 4);
    expect(totals.responseRate).toEqual({ withinSla: 0.5, overall: 0.6667 });
  });

  it('lists what still waits for an answer', async () => {
    const { open } = await openThreads(
      { community: 'velo' },
      { config, items: stores.items, comments: stores.comments, now: () => new Date(at('09:15')) },
    );
    expect(open.map((o) => o.commentId)).toEqual(['generic:q3', 'generic:s1']);
    expect(open[0]).toMatchObject({ overdue: false, team: 'support', excerpt: 'Quelle garantie ?' });
  });

  it('ranks the members who commented and helped', async () => {
    const top = await topMembers(
      { community: 'velo', days: '1' },
      { config, kpis: stores.kpis, members: stores.members, now: () => new Date(at('20:00')) },
    );
    // m-1 and m-2 wrote two comments each; m-2 also answered a member, so comes first.
    expect(top.topContributors.slice(0, 2)).toMatchObject([
      { member: 'generic:m-2', comments: 2, answersGiven: 1 },
      { member: 'generic:m-1', comments: 2, answersGiven: 0 },
    ]);
    expect(top.helpers).toEqual([expect.objectContaining({ member: 'generic:m-2', answersGiven: 1 })]);
    expect(top.newcomers).toHaveLength(6);
  });

  it('escalates each overdue item once, then again at twice the SLA to the escalation team', async () => {
    const watch = async (time: string) => {
      const report = await watchSla('velo', {
        config,
        items: stores.items,
        store: stores.comments,
        now: () => new Date(at(time)),
      });
      await outbox.drain();
      return report;
    };
    const before = notifier.published.length;

    expect((await watch('09:15')).escalated).toEqual([]);
    expect((await watch('09:25')).escalated).toEqual([
      { commentId: 'generic:q3', level: 1, team: 'support' },
    ]);
    expect((await watch('09:26')).escalated).toEqual([]);
    const late = await watch('10:30');
    expect(late.escalated).toEqual(
      expect.arrayContaining([
        { commentId: 'generic:q3', level: 2, team: 'moderation' },
        { commentId: 'generic:s1', level: 1, team: 'support' },
      ]),
    );
    expect(late.escalated).toHaveLength(2);
    expect((await watch('23:00')).escalated).toEqual([
      { commentId: 'generic:s1', level: 2, team: 'moderation' },
    ]);
    expect((await watch('23:30')).escalated).toEqual([]);

    // Only the escalations: another test's digest may be delivered by the same drains.
    const escalations = notifier.published
      .slice(before)
      .filter((n) => n.message.kind === 'sla.escalated')
      .map((n) => SlaEscalatedMessage.parse(n.message));
    expect(escalations.map((m) => `${m.item.commentId}@${m.level}`)).toEqual([
      'generic:q3@1',
      expect.stringMatching(/@/),
      expect.stringMatching(/@/),
      'generic:s1@2',
    ]);
    const { totals } = await readKpis(
      { community: 'velo', from: '2026-11-20', to: '2026-11-20' },
      { config, kpis: stores.kpis },
    );
    expect(totals).toMatchObject({ escalated: 2, escalatedAgain: 2 }); // q3 and s1, each once per level
  });

  it('sends the daily digest of the day once, in the community language, with its figures', async () => {
    const deps = { config, ...stores };
    const morning = () => new Date('2026-11-21T07:00:00.000Z');
    const before = notifier.published.length;

    const sent = await sendDigest('velo', 'daily', { ...deps, now: morning });
    notifier.failNext = 1;
    await outbox.drain(); // SNS unavailable: the stream tries again
    const again = await sendDigest('velo', 'daily', { ...deps, now: morning });
    await outbox.drain();

    expect(again).toEqual({ sent: false, reason: 'the daily digest for 2026-11-20 was already sent' });
    const digests = notifier.published.slice(before).filter((n) => n.message.kind === 'digest.daily');
    expect(digests).toHaveLength(1);
    expect(digests[0]?.text).toBe(sent.sent ? sent.notification.text : '');
    if (!sent.sent) throw new Error('expected a digest');
    expect(sent.notification.subject).toBe('Vélo Test · résumé du 2026-11-20');
    const text = sent.notification.text;
    expect(text).toContain('Commentaires de membres : 8 (+8 par rapport à la veille');
    expect(text).toContain('Réponses de la marque : 5');
    // 4 answered of 6 items; 3 within the 60-minute SLA. FRT mean (30+120+5+20)/4 = 43.75 min.
    expect(text).toContain('Répondu dans le délai : 50 % (répondu : 67 %)');
    expect(text).toContain('moyenne 44 min');
    expect(text).toContain('Membres actifs : 6 ce jour-là');
    expect(text).toContain('Membres les plus actifs : m-2 (2), m-1 (2), m-3 (1)');
    expect(NotificationMessage.parse(sent.notification.message).kind).toBe('digest.daily');
  });

  it('sends the weekly recognition digest with who to thank and who is new', async () => {
    const deps = { config, ...stores };
    const monday = () => new Date('2026-11-23T07:00:00.000Z');
    const outcome = await sendDigest('velo', 'weekly', { ...deps, now: monday });
    if (!outcome.sent) throw new Error('expected a digest');
    expect(outcome.notification.subject).toBe('Vélo Test · remerciements de la semaine 2026-W47');
    expect(outcome.notification.text).toMatch(
      /Contributeurs à remercier :\n {2}- m-2 : 2 commentaires, 1 réponse à des membres/,
    );
    expect(outcome.notification.text).toMatch(/Membres qui ont aidé les autres :\n {2}- m-2/);
    expect(outcome.notification.text.match(/^ {2}- m-\d/gm)?.length).toBe(6 + 1 + 6); // top 6, 1 helper, 6 newcomers
    await outbox.drain(); // delivered here, not by whichever test drains next
  });

  it('owes one escalation per level however many watchers run at once', async () => {
    const setup = await freshStore();
    const other = setup;
    const otherOutbox = outboxOf(setup, config);
    const classifier = new KeywordClassifier();
    await processCommentEvents(
      [commentEvent({ id: 'c1', author: 'm-1', text: 'Livraison ?', createdAt: at('08:00') })],
      { config, classifierFor: () => classifier, store: other.comments },
    );
    const watch = (time: string) =>
      watchSla('velo', { config, items: other.items, store: other.comments, now: () => new Date(at(time)) });

    const reports = await Promise.all([watch('09:16'), watch('09:16'), watch('09:16')]);
    await otherOutbox.drain();
    await otherOutbox.drain();

    expect(reports.flatMap((r) => r.escalated)).toEqual([
      { commentId: 'generic:c1', level: 1, team: 'support' },
    ]);
    const sent = (otherOutbox.notifier as RecordingNotifier).published.map((n) => n.message.id);
    expect(sent.filter((id) => id.startsWith('escalation#'))).toEqual(['escalation#generic:c1#1']);
    const { totals } = await readKpis(
      { community: 'velo', from: '2026-11-20', to: '2026-11-20' },
      { config, kpis: other.kpis },
    );
    expect(totals.escalated).toBe(1);
  });

  it('does not escalate an item answered in the meantime', async () => {
    const other = await freshStore();
    const classifier = new KeywordClassifier();
    const deps = { config, classifierFor: () => classifier, store: other.comments };
    await processCommentEvents(
      [commentEvent({ id: 'x1', author: 'm-1', text: 'Horaires ?', createdAt: at('08:00') })],
      deps,
    );
    await processCommentEvents(
      [
        commentEvent({
          id: 'x2',
          author: 'brand-1',
          text: '9h-18h',
          createdAt: at('09:30'),
          threadId: 'x1',
          parentId: 'x1',
        }),
      ],
      deps,
    );
    const report = await watchSla('velo', {
      config,
      items: other.items,
      store: other.comments,
      now: () => new Date(at('10:00')),
    });
    expect(report.escalated).toEqual([]);
  });
});
