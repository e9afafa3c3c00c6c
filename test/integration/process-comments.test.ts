import { beforeEach, describe, expect, it } from 'vitest';
import type { DynamoCommentStore } from '../../shared/adapters/dynamodb-comment-store.ts';
import { processCommentEvents } from '../../shared/core/process-comments.ts';
import { readKpis } from '../../shared/core/read-kpis.ts';
import { CommentRoutedMessage, NotificationMessage } from '../../shared/domain/notification.ts';
import { commentEvent, KeywordClassifier, RecordingNotifier, testConfig } from '../support/builders.ts';
import { freshStore } from '../support/dynamo.ts';
import { outboxOf } from '../support/outbox.ts';

const config = testConfig();

describe('processing comment events against DynamoDB Local', () => {
  let store: DynamoCommentStore;
  let setup: Awaited<ReturnType<typeof freshStore>>;
  let notifier: RecordingNotifier;
  let outbox: ReturnType<typeof outboxOf>;
  let deps: Parameters<typeof processCommentEvents>[1];

  beforeEach(async () => {
    setup = await freshStore();
    store = setup.store;
    notifier = new RecordingNotifier();
    outbox = outboxOf(setup, config, notifier);
    const classifier = new KeywordClassifier();
    deps = { config, classifierFor: () => classifier, store };
  });

  const totals = async (from = '2026-11-20', to = '2026-11-20') =>
    (await readKpis({ community: 'velo', from, to }, { config, kpis: setup.kpis })).totals;

  it('records, counts and routes a batch of new comments', async () => {
    const events = [
      commentEvent({ id: 'q1', text: 'Pourquoi ma commande est-elle en retard ?' }),
      commentEvent({ id: 's1', text: 'Une idée : ajoutez un antivol intégré' }),
      commentEvent({ id: 't1', text: 'Quel idiot ce vendeur' }),
      commentEvent({ id: 'b1', text: 'Bonjour, nous regardons cela.', author: 'brand-1' }),
    ];

    const report = await processCommentEvents(events, deps);

    expect(report).toMatchObject({ failed: [], recorded: 4, duplicates: 0, owed: 3 });
    await outbox.drain();
    expect(notifier.published.map((n) => n.team).sort()).toEqual(['moderation', 'product', 'support']);
    const kpis = await totals();
    expect(kpis).toMatchObject({ comments: 4, memberComments: 3, brandReplies: 1, toxic: 1 });
    expect(kpis.byIntent).toEqual({ question: 1, suggestion: 1, other: 1 });
    expect(kpis.routedTo).toEqual({ support: 1, product: 1, moderation: 1 });
  });

  it('changes no counter and sends no notification when the same batch is delivered three times', async () => {
    const events = [
      commentEvent({ id: 'r1', text: 'Comment changer la batterie ?' }),
      commentEvent({ id: 'r2', text: 'broken wheel' }),
    ];
    await processCommentEvents(events, deps);
    await outbox.drain();
    const before = await totals();
    const sent = notifier.published.length;

    for (let i = 0; i < 3; i++) {
      const report = await processCommentEvents(structuredClone(events), deps);
      expect(report).toMatchObject({ failed: [], recorded: 0, duplicates: 2, owed: 0 });
    }
    await outbox.drain();

    expect(sent).toBe(2);
    expect(await totals()).toEqual(before);
    expect(notifier.published).toHaveLength(sent);
  });

  it('does not classify a redelivered comment again', async () => {
    const counting = new KeywordClassifier();
    const countingDeps = { ...deps, classifierFor: () => counting };
    const events = [
      commentEvent({ id: 'c-1', text: 'Quel prix ?' }),
      commentEvent({ id: 'c-2', text: 'Super' }),
    ];
    await processCommentEvents(events, countingDeps);
    const afterFirst = counting.calls;
    await processCommentEvents(structuredClone(events), countingDeps);
    expect(afterFirst).toBe(1);
    expect(counting.calls).toBe(1);
  });

  it('counts a comment once when it appears twice in one batch', async () => {
    const event = commentEvent({ id: 'twice', text: 'Quelle taille de cadre ?' });
    const report = await processCommentEvents([event, structuredClone(event)], deps);
    expect(report.recorded).toBe(1);
    expect((await totals()).comments).toBe(1);
    await outbox.drain();
    expect(notifier.published).toHaveLength(1);
  });

  it('records a comment whatever its notification does, and the stream delivers it once it can', async () => {
    const events = [commentEvent({ id: 'n1', text: 'Où est ma facture ?' })];
    notifier.failNext = 1;

    const first = await processCommentEvents(events, deps);
    expect(first).toMatchObject({ failed: [], recorded: 1, owed: 1 });
    await outbox.drain();
    expect(notifier.published).toHaveLength(0);

    await outbox.drain();
    expect(notifier.published.map((n) => n.message.id)).toEqual(['generic:n1#support']);
    expect((await totals()).comments).toBe(1);
    expect((await store.get('velo', 'generic:n1'))?.outbox.map((e) => e.id)).toEqual(['generic:n1#support']);
  });

  it('moves the counters of an edited comment and ignores the replayed edit', async () => {
    await processCommentEvents([commentEvent({ id: 'e1', text: 'Super vélo' })], deps);
    const edit = commentEvent({ id: 'e1', kind: 'edited', text: 'Super vélo mais la selle est nulle' });

    const first = await processCommentEvents([edit], deps);
    const replay = await processCommentEvents([structuredClone(edit)], deps);

    expect(first.changed).toBe(1);
    expect(replay).toMatchObject({ changed: 0, duplicates: 1 });
    const kpis = await totals();
    expect(kpis).toMatchObject({ comments: 1, memberComments: 1, edited: 1 });
    expect(kpis.byIntent).toEqual({ complaint: 1 });
    await outbox.drain();
    expect(notifier.published.map((n) => n.team)).toEqual(['support']);
  });

  it('marks a deleted comment once, keeping it in the volume', async () => {
    await processCommentEvents([commentEvent({ id: 'd1', text: 'Comment faire ?' })], deps);
    const deletion = commentEvent({ id: 'd1', kind: 'deleted' });
    await processCommentEvents([deletion], deps);
    await processCommentEvents([structuredClone(deletion)], deps);

    expect((await store.get('velo', 'generic:d1'))?.status).toBe('deleted');
    expect(await totals()).toMatchObject({ comments: 1, deleted: 1 });
  });

  it('counts a comment on its day in the community time zone', async () => {
    // 23:30 UTC on 20 Nov is 00:30 on 21 Nov in Paris.
    await processCommentEvents([commentEvent({ id: 'late', createdAt: '2026-11-20T23:30:00.000Z' })], deps);
    const report = await readKpis(
      { community: 'velo', from: '2026-11-20', to: '2026-11-21' },
      { config, kpis: setup.kpis },
    );
    expect(report.periods.map((d) => d.comments)).toEqual([0, 1]);
  });

  it('welcomes a first-time poster once, even when the first attempt to deliver fails', async () => {
    const welcoming = testConfig({
      communities: [{ ...testConfig().communities[0], welcomeNewMembers: true }],
    });
    const classifier = new KeywordClassifier();
    const welcomeDeps = { ...deps, config: welcoming, classifierFor: () => classifier };
    const first = [commentEvent({ id: 'w1', author: 'newbie', text: 'Bonjour à tous' })];
    const welcomeOutbox = outboxOf(setup, welcoming, notifier);
    notifier.failNext = 1;

    expect((await processCommentEvents(first, welcomeDeps)).failed).toHaveLength(0);
    await welcomeOutbox.drain();
    await processCommentEvents(first, welcomeDeps);
    await welcomeOutbox.drain();
    await processCommentEvents(first, welcomeDeps);
    await processCommentEvents(
      [commentEvent({ id: 'w2', author: 'newbie', text: 'Encore moi' })],
      welcomeDeps,
    );

    // A first comment that is toxic earns no welcome.
    await processCommentEvents(
      [commentEvent({ id: 'w3', author: 'rude', text: 'Bande d’idiots' })],
      welcomeDeps,
    );

    await welcomeOutbox.drain();
    const welcomes = notifier.published.filter((n) => n.message.kind === 'member.welcome');
    expect(welcomes.map((n) => [n.team, n.message.id])).toEqual([['community', 'welcome#generic:newbie']]);
    expect(NotificationMessage.parse(welcomes[0]?.message).kind).toBe('member.welcome');
  });

  it('publishes messages that parse against the versioned contract', async () => {
    await processCommentEvents([commentEvent({ id: 'c1', text: 'Quel est le délai de livraison ?' })], deps);
    await outbox.drain();
    const [notification] = notifier.published;
    const parsed = CommentRoutedMessage.parse(notification?.message);
    expect(parsed).toMatchObject({
      schema: 'community-autopilot/notification',
      version: 1,
      id: 'generic:c1#support',
    });
    expect(notification?.subject).toMatch(/^\[normal\] Question sur generic — “Quel est le délai/);
    expect(notification?.subject.length).toBeLessThan(100);
  });
});
