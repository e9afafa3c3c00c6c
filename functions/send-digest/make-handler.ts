import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { type DigestDeps, type DigestOutcome, sendDigest } from '../../shared/core/digests.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { logger } from '../../shared/observability/powertools.ts';

/** What the EventBridge Scheduler schedules send (per community, in its time zone). */
export const DigestRequest = z.object({
  community: z.string().min(1),
  kind: z.enum(['daily', 'weekly']).default('daily'),
  force: z.boolean().default(false),
  /** Report on this day (or this day's week) instead of the last complete one. */
  date: z.iso.date().optional(),
});

/** The daily and weekly digests: composed from the KPIs, written once, delivered by the outbox. */
export function makeHandler(deps: DigestDeps) {
  async function digest(event: unknown): Promise<DigestOutcome> {
    const parsed = DigestRequest.safeParse(event);
    if (!parsed.success)
      throw new ValidationError(`invalid digest request: ${z.prettifyError(parsed.error)}`);
    const request = parsed.data;
    const outcome = await sendDigest(request.community, request.kind, deps, {
      force: request.force,
      ...(request.date ? { date: request.date } : {}),
    });
    logger.info('digest', { community: request.community, kind: request.kind, sent: outcome.sent });
    return outcome;
  }

  return middy(digest).use(injectLambdaContext(logger));
}
