import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { CommunityConfig } from '../../shared/config/schema.ts';
import { pascalCase } from './names.ts';
import { schedulerInvokeRole } from './scheduler-invoke-role.ts';

/** How often each community's open items are checked against its SLA. */
export const SLA_WATCH_RATE = Duration.minutes(5);

export interface SlaWatchSchedulesProps {
  readonly communities: readonly CommunityConfig[];
  readonly watchFunction: IFunction;
}

/** The event the watch-sla function receives. */
export interface SlaWatchEvent {
  readonly community: string;
}

/**
 * One EventBridge Scheduler schedule per community, every 5 minutes. A failed or missed run is
 * not retried: the next one finds the same overdue items (an escalation is claimed in the table
 * before it is sent), so a retry would only run the same query twice.
 */
export class SlaWatchSchedules extends Construct {
  readonly schedules: ReadonlyMap<string, Schedule>;

  constructor(scope: Construct, id: string, props: SlaWatchSchedulesProps) {
    super(scope, id);
    const role = schedulerInvokeRole(this, props.watchFunction, 'watch-sla');
    const schedules = new Map<string, Schedule>();
    for (const community of props.communities) {
      const input: SlaWatchEvent = { community: community.id };
      const schedule = new Schedule(this, `${pascalCase(community.id)}Watch`, {
        description: `Escalates ${community.id} items unanswered past their SLA (${community.slaMinutes} min)`,
        schedule: ScheduleExpression.rate(SLA_WATCH_RATE),
        target: new LambdaInvoke(props.watchFunction, {
          role,
          input: ScheduleTargetInput.fromObject(input),
          retryAttempts: 0,
          maxEventAge: Duration.minutes(1),
        }),
      });
      schedules.set(community.id, schedule);
    }
    this.schedules = schedules;
  }
}
