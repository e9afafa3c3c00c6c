import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { CommunityConfig } from '../../shared/config/schema.ts';
import { schedulerInvokeRole } from './scheduler-invoke-role.ts';

/** How often each community's open items are checked against its SLA. */
export const SLA_WATCH_RATE = Duration.minutes(5);

export interface SlaWatchSchedulesProps {
  readonly communities: readonly CommunityConfig[];
  readonly watchFunction: IFunction;
}

/**
 * One EventBridge Scheduler schedule every 5 minutes for all communities (the function walks them
 * in turn): with reserved concurrency 1, one schedule per community would fire together and
 * throttle each other. A failed or missed run is not retried: the next one finds the same overdue
 * items (an escalation is claimed in the table before it is sent).
 */
export class SlaWatchSchedules extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: SlaWatchSchedulesProps) {
    super(scope, id);
    const role = schedulerInvokeRole(this, props.watchFunction, 'watch-sla');
    const communities = props.communities.map((c) => `${c.id} (${c.slaMinutes} min)`).join(', ');
    this.schedule = new Schedule(this, 'Watch', {
      description: `Escalates items unanswered past their SLA: ${communities}`.slice(0, 512),
      schedule: ScheduleExpression.rate(SLA_WATCH_RATE),
      target: new LambdaInvoke(props.watchFunction, {
        role,
        input: ScheduleTargetInput.fromObject({}),
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      }),
    });
  }
}
