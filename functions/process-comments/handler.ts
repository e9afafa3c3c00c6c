import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { storeFromEnv } from '../../shared/adapters/from-env.ts';
import { communityClassifiers } from '../../shared/classify/for-communities.ts';
import { runtimeConfig } from '../../shared/config/load.ts';
import { processCommentEvents } from '../../shared/core/process-comments.ts';
import { CommentEvent } from '../../shared/domain/comment.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';

const config = runtimeConfig();
const classifiers = communityClassifiers({
  // The local stack has no Comprehend: the local engine decides every field there.
  comprehendAvailable: process.env.AUTOPILOT_LOCAL !== '1',
  onError: (op, error) => logger.warn('Comprehend failed; the local answer stands', { op, error }),
});
const deps = {
  config,
  classifierFor: classifiers.classifierFor,
  store: storeFromEnv(config),
};

/**
 * SQS consumer. The whole batch is classified and recorded together (one DynamoDB transaction per
 * community), so Powertools' per-record batch processor does not fit; failures are still reported
 * per message and only those are redelivered.
 */
async function processBatch(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: string[] = [];
  const valid: { messageId: string; event: CommentEvent }[] = [];
  for (const record of event.Records) {
    const parsed = parseRecord(record.body);
    if (parsed.success) valid.push({ messageId: record.messageId, event: parsed.data });
    else {
      // Redelivery cannot fix a malformed message: it goes to the DLQ (alarmed) after the retries.
      logger.error('malformed queue message', { messageId: record.messageId, problem: parsed.error });
      failures.push(record.messageId);
    }
  }
  const unitsBefore = classifiers.unitsSpent();
  const report = await processCommentEvents(
    valid.map((v) => v.event),
    deps,
  );
  for (const { index, error } of report.failed) {
    const messageId = valid[index]?.messageId as string;
    logger.error('comment not processed; it will be retried', { messageId, error });
    failures.push(messageId);
  }
  metrics.addMetric('CommentsRecorded', MetricUnit.Count, report.recorded);
  metrics.addMetric('CommentsChanged', MetricUnit.Count, report.changed);
  metrics.addMetric('DuplicatesSkipped', MetricUnit.Count, report.duplicates);
  metrics.addMetric('NotificationsOwed', MetricUnit.Count, report.owed);
  metrics.addMetric('CommentsFailed', MetricUnit.Count, failures.length);
  metrics.addMetric('ComprehendUnits', MetricUnit.Count, classifiers.unitsSpent() - unitsBefore);
  logger.info('batch processed', { ...report, failed: failures.length });
  return { batchItemFailures: [...new Set(failures)].map((itemIdentifier) => ({ itemIdentifier })) };
}

function parseRecord(body: string) {
  try {
    return CommentEvent.safeParse(JSON.parse(body));
  } catch (error) {
    return { success: false as const, error: (error as Error).message };
  }
}

export const handler = middy<SQSEvent, SQSBatchResponse>(processBatch)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
