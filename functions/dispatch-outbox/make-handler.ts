import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxChanges } from '../../shared/adapters/dynamodb-outbox-stream.ts';
import { type DispatchDeps, dispatchOutbox } from '../../shared/core/dispatch-outbox.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';

/**
 * The outbox dispatcher: the table's change stream (DynamoDB Streams in AWS, the local stream
 * poller on a laptop) hands it batches in order; it delivers what each write added to an outbox
 * and reports the first change not delivered, so the stream retries from there.
 */
export function makeHandler(deps: DispatchDeps) {
  async function dispatch(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const { changes, unreadable } = outboxChanges(event.Records);
    for (const bad of unreadable) {
      logger.error('unreadable outbox record sent to the dead letters', {
        sequence: bad.sequence,
        reason: bad.reason,
      });
      await deps.deadLetters.send({ sequence: bad.sequence, raw: bad.raw }, bad.reason);
    }
    const first = event.Records[0];
    const batchKey = `${first?.eventSourceARN ?? 'stream'}#${first?.dynamodb?.SequenceNumber ?? ''}`;
    const report = await dispatchOutbox(batchKey, changes, deps);
    metrics.addMetric('OutboxAttempts', MetricUnit.Count, report.attempts);
    metrics.addMetric('OutboxDelivered', MetricUnit.Count, report.delivered);
    metrics.addMetric('OutboxDeadLettered', MetricUnit.Count, report.deadLettered + unreadable.length);
    metrics.addMetric('OutboxPossibleDuplicates', MetricUnit.Count, report.possibleDuplicates);
    // Per kind of target (sns, slack, teams, chatbot): posts sent, waits before another try, posts given up on.
    for (const [target, counts] of Object.entries(report.targets)) {
      const single = metrics.singleMetric();
      single.addDimension('target', target);
      single.addMetric('ChatSent', MetricUnit.Count, counts.sent);
      single.addMetric('ChatRetried', MetricUnit.Count, counts.retried);
      single.addMetric('ChatFailed', MetricUnit.Count, counts.failed);
    }
    const failed = report.failedAt === undefined ? undefined : changes[report.failedAt];
    if (failed) {
      logger.error('outbox delivery failed; the stream retries from this change', {
        sequence: failed.sequence,
        entries: failed.entries.map((e) => e.id),
        error: report.error,
      });
      return { batchItemFailures: [{ itemIdentifier: failed.sequence }] };
    }
    logger.info('outbox dispatched', { ...report, changes: changes.length });
    return { batchItemFailures: [] };
  }
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>(dispatch)
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}
