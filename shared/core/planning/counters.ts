import { addCounters, type Counters } from '../../domain/kpi.ts';

/** Step 6 of planning a batch: every step's counters, added up per day. */

/** Adds up per-day counters; counters that cancel out are dropped, and so are days left empty. */
export function countersByDay(...parts: readonly ReadonlyMap<string, Counters>[]): Map<string, Counters> {
  const total = new Map<string, Counters>();
  for (const part of parts)
    for (const [day, delta] of part) total.set(day, addCounters(total.get(day) ?? {}, delta));
  for (const [day, counters] of total) {
    for (const [name, value] of Object.entries(counters)) if (value === 0) delete counters[name];
    if (Object.keys(counters).length === 0) total.delete(day);
  }
  return total;
}
