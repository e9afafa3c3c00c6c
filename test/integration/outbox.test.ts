import { describe, expect, it } from 'vitest';
import { DynamoDispatchProgress } from '../../shared/adapters/dynamodb-dispatch-progress.ts';
import { outboxChanges } from '../../shared/adapters/dynamodb-outbox-stream.ts';
import { dispatchOutbox } from '../../shared/core/dispatch-outbox.ts';
import { processCommentEvents } from '../../shared/core/process-comments.ts';
import type { Notification } from '../../shared/domain/notification.ts';
import { commentEvent, KeywordClassifier, RecordingNotifier, testConfig } from '../support/builders.ts';
import { freshStore } from '../support/dynamo.ts';
import { outboxOf, RecordingDeadLetters } from '../support/outbox.ts';

/** The outbox's faults, each on DynamoDB Local's stream with the real dispatcher. */
const config = testConfig();

async function setup(notifier = new RecordingNotifier()) {
  const table = await freshStore();
  const outbox = outboxOf(table, config, notifier);
  const classifier = new KeywordClassifier();
  const process = (...events: ReturnType<typeof commentEvent>[]) =>
    processCommentEvents(events, { config, classifierFor: () => classifier, store: table.store });
  return { table, outbox, notifier, process };
}

/** Fails the `failOn`-th publish (1-based), once. */
class FlakyNotifier extends RecordingNotifier {
  failOn = 0;
  private calls = 0;
  override async publish(notification: Notification) {
    this.calls += 1;
    if (this.calls === this.failOn) throw new Error('SNS is unavailable');
    await super.publish(notification);
  }
}

class ThrottledNotifier extends RecordingNotifier {
  throttles = 0;
  override async publish(notification: Notification) {
    if (this.throttles > 0) {
      this.throttles -= 1;
      throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    }
    await super.publish(notification);
  }
}

/** Reads the table's stream once, as the dispatcher's event source would hand it over. */
async function streamBatch(outbox: ReturnType<typeof outboxOf>) {
  let batch: Parameters<typeof outboxChanges>[0] = [];
  await outbox.stream.poll(async (event) => {
    batch = event.Records;
    return { batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber ?? '' }] };
  });
  return batch;
}

describe('the outbox', () => {
  it('delivers after a crash before publishing: the entry waits in the stream', async () => {
    const { outbox, notifier, process } = await setup();
    await process(commentEvent({ id: 'a', text: 'Où est ma commande ?' }));
    // The dispatcher dies before it publishes: nothing is acknowledged, the stream keeps the record.
    await outbox.stream.poll(async () => {
      throw new Error('killed');
    });
    expect(notifier.published).toEqual([]);

    await outbox.drain();

    expect(notifier.published.map((n) => n.message.id)).toEqual(['generic:a#support']);
  });

  it('sends again with the same id, and counts it, after a crash between publishing and the end of the batch', async () => {
    const { table, outbox, notifier, process } = await setup();
    await process(commentEvent({ id: 'b', text: 'Où est ma commande ?' }));
    const { changes } = outboxChanges(await streamBatch(outbox));
    const progress = new DynamoDispatchProgress(table.client, table.tableName);
    let dead = false;
    // The process dies right after SNS accepted the message: nothing it would write next is written.
    const dying = {
      begin: progress.begin.bind(progress),
      end: async (...args: Parameters<typeof progress.end>) => {
        if (dead) throw new Error('killed');
        return progress.end(...args);
      },
    };
    const deps = {
      config,
      comments: table.store,
      deadLetters: new RecordingDeadLetters(),
      sleep: async () => {},
    };
    const publishThenDie = {
      publish: async (n: Notification) => {
        await notifier.publish(n);
        dead = true;
        throw new Error('killed');
      },
    };
    await expect(
      dispatchOutbox('batch-1', changes, { ...deps, progress: dying, notifier: publishThenDie }),
    ).rejects.toThrow('killed');

    const retry = await dispatchOutbox('batch-1', changes, { ...deps, progress, notifier });

    expect(retry).toMatchObject({ delivered: 1, possibleDuplicates: 1 });
    expect(notifier.published.map((n) => n.message.id)).toEqual(['generic:b#support', 'generic:b#support']);
    expect(notifier.published[0]).toEqual(notifier.published[1]);
    // A batch that ended cleanly is not counted again.
    expect(await dispatchOutbox('batch-1', changes, { ...deps, progress, notifier })).toMatchObject({
      possibleDuplicates: 0,
    });
  });

  it('retries a failed publish from the change that failed, without sending the earlier ones twice', async () => {
    const notifier = new FlakyNotifier();
    const { outbox, process } = await setup(notifier);
    await process(commentEvent({ id: 'c1', text: 'Où est ma commande ?' }));
    await process(commentEvent({ id: 'c2', text: 'Une idée : un antivol intégré' }));
    notifier.failOn = 2; // the second publish fails, once

    await outbox.drain();
    await outbox.drain();

    expect(notifier.published.map((n) => n.message.id)).toEqual(['generic:c1#support', 'generic:c2#product']);
  });

  it('backs off and delivers when the target throttles', async () => {
    const notifier = new ThrottledNotifier();
    const { outbox, process } = await setup(notifier);
    await process(commentEvent({ id: 'd', text: 'Où est ma commande ?' }));
    notifier.throttles = 2;

    await outbox.drain();

    expect(notifier.published.map((n) => n.message.id)).toEqual(['generic:d#support']);
  });

  it('sends an entry no retry can deliver to the dead letters and delivers the others', async () => {
    const { table, notifier, process } = await setup();
    await process(commentEvent({ id: 'e1', text: 'Où est ma commande ?' }));
    // A poison entry: its team was removed from the configuration after the entry was written.
    const shrunk = { ...config, teams: config.teams.filter((t) => t.id !== 'support') };
    const poisoned = outboxOf(table, shrunk, notifier);
    await process(commentEvent({ id: 'e2', text: 'Une idée : un antivol intégré' }));

    await poisoned.drain();

    expect(poisoned.deadLetters.letters.map((l) => l.reason)).toEqual(['unknown team "support"']);
    expect(notifier.published.map((n) => n.message.id)).toEqual(['generic:e2#product']);
  });
});
