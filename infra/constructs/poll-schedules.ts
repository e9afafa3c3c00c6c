import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { SourceConfig } from '../../shared/config/schema.ts';
import { pollMinutesOf } from '../../shared/platforms/source-options.ts';
import { pascalCase } from './names.ts';
import { schedulerInvokeRole } from './scheduler-invoke-role.ts';

export interface PollSchedulesProps {
  /** The polled sources (YouTube, Reddit...), each with its `pollMinutes`. */
  readonly sources: readonly SourceConfig[];
  readonly pollFunction: IFunction;
}

/** The event the poll-comments function receives. */
export interface PollEvent {
  readonly source: string;
}

/**
 * One EventBridge Scheduler schedule per polled source, every `pollMinutes` (default 5). A missed
 * or failed run is not retried: the next one starts from the same stored cursor, so a retry would
 * only spend platform quota twice.
 */
export class PollSchedules extends Construct {
  readonly schedules: ReadonlyMap<string, Schedule>;

  constructor(scope: Construct, id: string, props: PollSchedulesProps) {
    super(scope, id);
    const schedules = new Map<string, Schedule>();
    const role = schedulerInvokeRole(this, props.pollFunction, 'poll-comments');
    for (const source of props.sources) {
      const minutes = pollMinutesOf(source);
      const input: PollEvent = { source: source.id };
      const schedule = new Schedule(this, `${pascalCase(source.id)}Poll`, {
        description: `Polls the ${source.id} source (${source.type}) every ${minutes} min`,
        schedule: ScheduleExpression.rate(Duration.minutes(minutes)),
        target: new LambdaInvoke(props.pollFunction, {
          role,
          input: ScheduleTargetInput.fromObject(input),
          retryAttempts: 0,
          maxEventAge: Duration.minutes(1),
        }),
      });
      schedules.set(source.id, schedule);
    }
    this.schedules = schedules;
  }
}
