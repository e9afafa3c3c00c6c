import type { AutopilotConfig } from '../config/schema.ts';
import { addDays, dayCount, daysBetween, isoWeekStart, isValidDay } from '../domain/calendar.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { type ActiveMembers, type Counters, type Kpis, sumCounters, toKpis } from '../domain/kpi.ts';
import type { KpiStore } from './ports.ts';

export interface KpiQuery {
  community?: string;
  from?: string;
  to?: string;
  granularity?: string;
}

export interface KpiReport {
  community: string;
  timezone: string;
  from: string;
  to: string;
  granularity: 'day' | 'week';
  /** One entry per day (or ISO week, labelled by its Monday) of the range, empty ones included. */
  periods: Kpis[];
  totals: Kpis;
}

const MAX_DAYS = 366;

export function validateKpiQuery(query: KpiQuery, config: AutopilotConfig) {
  const community = findCommunity(query.community, config);
  for (const name of ['from', 'to'] as const) {
    const value = query[name];
    if (!value) throw new ValidationError(`query parameter "${name}" is required (YYYY-MM-DD)`);
    if (!isValidDay(value))
      throw new ValidationError(
        `query parameter "${name}" must be a date as YYYY-MM-DD (1970–2999), got "${value}"`,
      );
  }
  const from = query.from as string;
  const to = query.to as string;
  if (from > to) throw new ValidationError('"from" must not be after "to"');
  if (dayCount(from, to) > MAX_DAYS) throw new ValidationError(`a range covers at most ${MAX_DAYS} days`);
  const granularity = query.granularity ?? 'day';
  if (granularity !== 'day' && granularity !== 'week') {
    throw new ValidationError(`query parameter "granularity" must be "day" or "week", got "${granularity}"`);
  }
  return { community, from, to, granularity: granularity as 'day' | 'week' };
}

export function findCommunity(id: string | undefined, config: AutopilotConfig) {
  if (!id) throw new ValidationError('query parameter "community" is required');
  const community = config.communities.find((c) => c.id === id);
  if (!community) throw new NotFoundError(`unknown community "${id}"`);
  return community;
}

/**
 * Distinct members with a comment in the windows of 1, 7 and 30 days ending on each of `days`
 * (ascending): one sweep that remembers each member's last active day, so a year of days stays cheap.
 */
export function activeMembersOn(
  days: readonly string[],
  memberDays: ReadonlyMap<string, Counters>,
): ActiveMembers[] {
  const lastActive = new Map<string, string>();
  const sweep = [...memberDays.keys()].sort();
  let next = 0;
  return days.map((day) => {
    for (; next < sweep.length && (sweep[next] as string) <= day; next++) {
      const d = sweep[next] as string;
      for (const name of Object.keys(memberDays.get(d) ?? {}))
        if (name.startsWith('n:')) lastActive.set(name.slice(2), d);
    }
    const since = [addDays(day, 0), addDays(day, -6), addDays(day, -29)];
    const counts = [0, 0, 0];
    for (const last of lastActive.values()) {
      if (last > day) continue;
      since.forEach((start, i) => {
        if (last >= start) counts[i] = (counts[i] ?? 0) + 1;
      });
    }
    return { d1: counts[0] ?? 0, d7: counts[1] ?? 0, d30: counts[2] ?? 0 };
  });
}

export async function readKpis(
  query: KpiQuery,
  deps: { config: AutopilotConfig; kpis: KpiStore },
): Promise<KpiReport> {
  const { community, from, to, granularity } = validateKpiQuery(query, deps.config);
  const [counters, memberDays] = await Promise.all([
    deps.kpis.readDays(community.id, from, to),
    deps.kpis.readMemberDays(community.id, addDays(from, -29), to),
  ]);
  const days = daysBetween(from, to);
  const periods: Kpis[] = [];
  if (granularity === 'day') {
    const active = activeMembersOn(days, memberDays);
    days.forEach((day, i) => {
      periods.push(toKpis(day, counters.get(day) ?? {}, active[i]));
    });
  } else {
    const weeks = new Map<string, string[]>();
    for (const day of days) weeks.set(isoWeekStart(day), [...(weeks.get(isoWeekStart(day)) ?? []), day]);
    for (const [monday, weekDays] of weeks) {
      const last = weekDays[weekDays.length - 1] as string;
      periods.push(
        toKpis(
          monday,
          sumCounters(weekDays.map((d) => counters.get(d) ?? {})),
          activeMembersOnDay(last, memberDays),
        ),
      );
    }
  }
  const totals = toKpis(
    `${from}/${to}`,
    sumCounters(days.map((d) => counters.get(d) ?? {})),
    activeMembersOnDay(to, memberDays),
  );
  return { community: community.id, timezone: community.timezone, from, to, granularity, periods, totals };
}

export function activeMembersOnDay(day: string, memberDays: ReadonlyMap<string, Counters>): ActiveMembers {
  return activeMembersOn([day], memberDays)[0] as ActiveMembers;
}
