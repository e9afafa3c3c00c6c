import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { storeFromEnv } from '../../shared/adapters/from-env.ts';
import { runtimeConfig } from '../../shared/config/load.ts';
import { type WatchReport, watchSla } from '../../shared/core/watch-sla.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';

const config = runtimeConfig();
const store = storeFromEnv(config);
const deps = { config, items: store, store };

/** Every few minutes per community (EventBridge Scheduler); no community: all of them. */
const WatchRequest = z.object({ community: z.string().min(1).optional() });

async function watch(event: unknown): Promise<WatchReport[]> {
  const request = WatchRequest.parse(event ?? {});
  const communities = request.community ? [request.community] : config.communities.map((c) => c.id);
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
    logger.info('SLA watch', { community, escalated: report.escalated.length, failed: report.failed.length });
    reports.push(report);
  }
  if (broken.length) throw new Error(`SLA watch failed for ${broken.join(', ')}; the next run retries`);
  return reports;
}

export const handler = middy(watch).use(injectLambdaContext(logger)).use(logMetrics(metrics));
