import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { CommunityClassifiers } from '../../shared/classify/for-communities.ts';
import { type ProcessDeps, processCommentEvents } from '../../shared/core/process-comments.ts';
import { CommentEvent } from '../../shared/domain/comment.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';

/** The use case's dependencies, with the classifiers as a whole (their Comprehend usage is a metric). */
export type ProcessCommentsDeps = Omit<ProcessDeps, 'classifierFor'> & { classifiers: CommunityClassifiers };

/** An SQS record whose body is one comment event (the contract the ingest and poll functions enqueue). */
export const CommentRecord = SqsRecordSchema.extend({ body: JSONStringified(CommentEvent) });

/**
 * SQS consumer. The whole batch is classified and recorded together (one DynamoDB write per
 * community), so Powertools' per-record batch processor does not fit; each record is parsed on its
 * own with the Powertools SQS record schema, and failures are reported per message so only those
 * are redelivered.
 */
export function makeHandler(deps: ProcessCommentsDeps) {
  const { classifiers, ...rest } = deps;
  const useCaseDeps: ProcessDeps = { ...rest, classifierFor: classifiers.classifierFor };

  async function processBatch(event: SQSEvent): Promise<SQSBatchResponse> {
    const failures: string[] = [];
    const valid: { messageId: string; event: CommentEvent }[] = [];
    for (const record of event.Records) {
      const parsed = CommentRecord.safeParse(record);
      if (parsed.success) valid.push({ messageId: parsed.data.messageId, event: parsed.data.body });
      else {
        // Redelivery cannot fix a malformed message: it goes to the DLQ (alarmed) after the retries.
        logger.error('malformed queue message', {
          messageId: record.messageId,
          problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`),
        });
        failures.push(record.messageId);
      }
    }
    const unitsBefore = classifiers.unitsSpent();
    const report = await processCommentEvents(
      valid.map((v) => v.event),
      useCaseDeps,
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

  return middy<SQSEvent, SQSBatchResponse>(processBatch)
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}
