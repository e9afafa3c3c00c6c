import { Duration, TimeZone } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { CommunityConfig } from '../../shared/config/schema.ts';
import { pascalCase } from './names.ts';
import { schedulerInvokeRole } from './scheduler-invoke-role.ts';

export interface DigestSchedulesProps {
  readonly communities: readonly CommunityConfig[];
  readonly digestFunction: IFunction;
}

export type DigestKind = 'daily' | 'weekly';

/** The digest event the send-digest function receives. */
export interface DigestEvent {
  readonly community: string;
  readonly kind: DigestKind;
}

/**
 * Two EventBridge Scheduler schedules per community, both at `digestHour`:00 in the community's
 * own time zone, so "yesterday", "last week" and "8 o'clock" mean what the community manager
 * expects, DST included: the daily KPI digest every day, the weekly recognition digest on Mondays.
 */
export class DigestSchedules extends Construct {
  /** community id → its daily and weekly schedules */
  readonly schedules: ReadonlyMap<string, Readonly<Record<DigestKind, Schedule>>>;

  constructor(scope: Construct, id: string, props: DigestSchedulesProps) {
    super(scope, id);
    const role = schedulerInvokeRole(this, props.digestFunction, 'send-digest');
    const schedules = new Map<string, Record<DigestKind, Schedule>>();
    for (const community of props.communities) {
      const at = `${community.digestHour}:00 ${community.timezone}`;
      const target = (kind: DigestKind) => {
        const input: DigestEvent = { community: community.id, kind };
        return new LambdaInvoke(props.digestFunction, {
          role,
          input: ScheduleTargetInput.fromObject(input),
          // A digest that arrives hours late is noise; a couple of quick retries cover throttling.
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        });
      };
      const hour = String(community.digestHour);
      const timeZone = TimeZone.of(community.timezone);
      schedules.set(community.id, {
        daily: new Schedule(this, `${pascalCase(community.id)}Daily`, {
          description: `Daily KPI digest of ${community.id} at ${at}`,
          schedule: ScheduleExpression.cron({ minute: '0', hour, timeZone }),
          target: target('daily'),
        }),
        weekly: new Schedule(this, `${pascalCase(community.id)}Weekly`, {
          description: `Weekly recognition digest of ${community.id} on Mondays at ${at}`,
          schedule: ScheduleExpression.cron({ minute: '0', hour, weekDay: 'MON', timeZone }),
          target: target('weekly'),
        }),
      });
    }
    this.schedules = schedules;
  }
}
