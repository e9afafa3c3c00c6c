import { type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { CommunityConfig } from '../../shared/config/schema.ts';
import { pascalCase } from './names.ts';

export interface DigestSchedulesProps {
  readonly communities: readonly CommunityConfig[];
  readonly digestFunction: IFunction;
}

/** The digest event the send-digest function receives. */
export interface DigestEvent {
  readonly community: string;
  readonly kind: 'daily';
}

/**
 * One EventBridge Scheduler schedule per community, at `digestHour`:00 in the community's own
 * time zone, so "yesterday" and "8 o'clock" mean what the community manager expects, DST included.
 */
export class DigestSchedules extends Construct {
  readonly schedules: ReadonlyMap<string, Schedule>;

  constructor(scope: Construct, id: string, props: DigestSchedulesProps) {
    super(scope, id);
    const schedules = new Map<string, Schedule>();
    // Our own role (instead of the target's shared default) so the acknowledgement below is
    // scoped to exactly this permission.
    const role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler invoke the send-digest function',
    });
    const functionLogicalId = Stack.of(this).getLogicalId(
      props.digestFunction.node.defaultChild as CfnElement,
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason:
        'grantInvoke allows lambda:InvokeFunction on the send-digest function and its qualified ARNs (function:*): the wildcard spans only versions and aliases of that one function.',
    });
    for (const community of props.communities) {
      const input: DigestEvent = { community: community.id, kind: 'daily' };
      const schedule = new Schedule(this, `${pascalCase(community.id)}Daily`, {
        description: `Daily KPI digest of ${community.id} at ${community.digestHour}:00 ${community.timezone}`,
        schedule: ScheduleExpression.cron({
          minute: '0',
          hour: String(community.digestHour),
          timeZone: TimeZone.of(community.timezone),
        }),
        target: new LambdaInvoke(props.digestFunction, {
          role,
          input: ScheduleTargetInput.fromObject(input),
          // A digest that arrives hours late is noise; a couple of quick retries cover throttling.
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      });
      schedules.set(community.id, schedule);
    }
    this.schedules = schedules;
  }
}
