import type { AutopilotConfig } from '../config/schema.ts';
import { daysBetween, isValidDay } from '../domain/calendar.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { type DailyKpis, sumDailyKpis, toDailyKpis } from '../domain/kpi.ts';
import type { KpiStore } from './ports.ts';

export interface KpiQuery {
  community?: string;
  from?: string;
  to?: string;
}

export interface KpiReport {
  community: string;
  timezone: string;
  from: string;
  to: string;
  /** One entry per day of the range, zeros included, so charts need no gap filling. */
  days: DailyKpis[];
  totals: DailyKpis;
}

const MAX_DAYS = 366;

export function validateKpiQuery(query: KpiQuery, config: AutopilotConfig) {
  if (!query.community) throw new ValidationError('query parameter "community" is required');
  const community = config.communities.find((c) => c.id === query.community);
  if (!community) throw new NotFoundError(`unknown community "${query.community}"`);
  for (const name of ['from', 'to'] as const) {
    const value = query[name];
    if (!value) throw new ValidationError(`query parameter "${name}" is required (YYYY-MM-DD)`);
    if (!isValidDay(value))
      throw new ValidationError(`query parameter "${name}" must be a date as YYYY-MM-DD, got "${value}"`);
  }
  const from = query.from as string;
  const to = query.to as string;
  if (from > to) throw new ValidationError('"from" must not be after "to"');
  if (daysBetween(from, to).length > MAX_DAYS)
    throw new ValidationError(`a range covers at most ${MAX_DAYS} days`);
  return { community, from, to };
}

export async function readKpis(
  query: KpiQuery,
  deps: { config: AutopilotConfig; kpis: KpiStore },
): Promise<KpiReport> {
  const { community, from, to } = validateKpiQuery(query, deps.config);
  const counters = await deps.kpis.readDays(community.id, from, to);
  const days = daysBetween(from, to).map((day) => toDailyKpis(day, counters.get(day) ?? {}));
  return {
    community: community.id,
    timezone: community.timezone,
    from,
    to,
    days,
    totals: sumDailyKpis(days, `${from}/${to}`),
  };
}
