import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { type WatchDeps, type WatchReport, watchSla } from '../../shared/core/watch-sla.ts';
import { DependencyError, ValidationError } from '../../shared/domain/errors.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';

/** Every few minutes per community (EventBridge Scheduler); no community: all of them. */
export const WatchRequest = z.object({ community: z.string().min(1).optional() });

/** The SLA watch: each overdue item gets its escalation written once, delivered by the outbox. */
export function makeHandler(deps: WatchDeps) {
  async function watch(event: unknown): Promise<WatchReport[]> {
    const parsed = WatchRequest.safeParse(event ?? {});
    if (!parsed.success) throw new ValidationError(`invalid watch request: ${z.prettifyError(parsed.error)}`);
    const request = parsed.data;
    const communities = request.community ? [request.community] : deps.config.communities.map((c) => c.id);
    const reports: WatchReport[] = [];
    const broken: string[] = [];
    for (const community of communities) {
      let report: WatchReport;
      try {
        report = await watchSla(community, deps);
      } catch (error) {
        // One community's failure must not keep the others from being watched.
        logger.error('SLA watch failed', { community, error });
        broken.push(community);
        continue;
      }
      for (const failure of report.failed)
        logger.error('escalation not recorded; retried next run', { ...failure });
      metrics.addMetric('Escalations', MetricUnit.Count, report.escalated.length);
      logger.info('SLA watch', {
        community,
        escalated: report.escalated.length,
        failed: report.failed.length,
      });
      reports.push(report);
    }
    if (broken.length)
      throw new DependencyError(`SLA watch failed for ${broken.join(', ')}; the next run retries`);
    return reports;
  }

  return middy(watch).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
