/** Calendar arithmetic in a community's time zone, with no dependency: Intl knows the zones. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      // Seconds too: offsets computed from instants off a minute boundary must not be blurred.
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  date: string; // YYYY-MM-DD
  hour: number;
  minute: number;
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDay(instant: Date | string, timeZone: string): string {
  return localTime(typeof instant === 'string' ? new Date(instant) : instant, timeZone).date;
}

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date between 1970 and 2999 (anything else is a typo, and would not sort as text). */
export function isValidDay(day: string): boolean {
  if (!DAY_PATTERN.test(day) || day < '1970-01-01' || day > '2999-12-31') return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(day);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
/** Number of days from `from` to `to`, both included (0 when `to` is before `from`). */
export function dayCount(from: string, to: string): number {
  return Math.max(
    0,
    Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1,
  );
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  return Array.from({ length: dayCount(from, to) }, (_, i) => addDays(from, i));
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** 1 = Monday … 7 = Sunday, as ISO 8601 numbers them. */
export function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

/** The Monday (YYYY-MM-DD) of the ISO week that contains `day`. */
export function isoWeekStart(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

/**
 * `2026-W48`. The ISO week-year is the year of the week's Thursday, so the first days of January
 * can belong to the last week of the previous year (2027-01-01 is in 2026-W53).
 */
export function isoWeekLabel(day: string): string {
  const thursday = addDays(isoWeekStart(day), 3);
  const year = thursday.slice(0, 4);
  const dayOfYear = (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / DAY_MS;
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instantMs` (negative west of Greenwich). */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(wholeSecond))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - wholeSecond;
}

/**
 * The instant at which the wall clock in `timeZone` shows `day` at `minutesOfDay` past midnight
 * (1440 is the next midnight). A wall time skipped by a spring-forward gap maps to the end of the
 * gap (02:30 on Paris' spring day → 03:00 local, the first instant that exists); a wall time that
 * happens twice when the clocks go back maps to its first occurrence.
 */
export function zonedTimeToUtc(day: string, minutesOfDay: number, timeZone: string): Date {
  if (!isValidDay(day)) throw new RangeError(`zonedTimeToUtc: "${day}" is not a YYYY-MM-DD day`);
  if (!Number.isFinite(minutesOfDay)) throw new RangeError('zonedTimeToUtc: minutesOfDay must be finite');
  const wall = Date.parse(`${day}T00:00:00Z`) + minutesOfDay * MINUTE_MS;
  // Offsets never exceed ±14 h, so the real instant lies within a day of `wall`; the offsets a
  // day either side are the two the zone can use around that wall time (equal on most days).
  const before = zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = zoneOffsetMs(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after]
    .filter((t) => zoneOffsetMs(t, timeZone) === wall - t)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return new Date(first);
  // In a gap: `wall - before` lands after the transition and `wall - after` before it. The
  // transition is the first instant with the new offset; bisect to the second.
  let lo = Math.min(wall - before, wall - after);
  let hi = Math.max(wall - before, wall - after);
  const loOffset = zoneOffsetMs(lo, timeZone);
  while (hi - lo > 1000) {
    const mid = lo + Math.max(1000, Math.floor((hi - lo) / 2000) * 1000);
    if (zoneOffsetMs(mid, timeZone) === loOffset) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}
