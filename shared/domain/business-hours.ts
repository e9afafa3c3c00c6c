/**
 * Opening hours of a community team, and SLA clocks that only run while the team is open.
 * Windows are computed per local calendar day with `zonedTimeToUtc`, so a DST day (23 or 25 hours)
 * is handled by the time zone database rather than by assuming 24-hour days.
 */
import * as z from 'zod';
import { addDays, isoWeekday, localDay, zonedTimeToUtc } from './calendar.ts';
import { ValidationError } from './errors.ts';

export interface BusinessHours {
  timezone: string;
  /** ISO weekdays 1=Mon..7=Sun */
  days: number[];
  /** HH:MM, local wall time, included. */
  open: string;
  /** HH:MM, local wall time, excluded; `24:00` means until midnight. */
  close: string;
}

const OPEN_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const CLOSE_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The `businessHours` block of a community's config (the time zone is the community's own). */
export const BusinessHoursConfig = z
  .object({
    days: z
      .array(
        z
          .number()
          .int()
          .min(1, 'days are ISO weekdays: 1 (Monday) to 7 (Sunday)')
          .max(7, 'days are ISO weekdays: 1 (Monday) to 7 (Sunday)'),
      )
      .min(1, 'days must name at least one weekday, or leave businessHours out for round-the-clock')
      .refine((days) => new Set(days).size === days.length, 'days must not repeat a weekday'),
    open: z.string().regex(OPEN_PATTERN, 'open must be HH:MM between 00:00 and 23:59'),
    close: z.string().regex(CLOSE_PATTERN, 'close must be HH:MM between 00:01 and 24:00'),
  })
  .refine(
    (h) =>
      !OPEN_PATTERN.test(h.open) || !CLOSE_PATTERN.test(h.close) || minutesOf(h.open) < minutesOf(h.close),
    {
      message: 'open must be earlier than close (hours that cross midnight are not supported)',
      path: ['close'],
    },
  );
export type BusinessHoursConfig = z.infer<typeof BusinessHoursConfig>;

interface Parsed {
  timezone: string;
  days: ReadonlySet<number>;
  openMinutes: number;
  closeMinutes: number;
}

/**
 * Throws a ValidationError for hours that could never open: the loops below rely on every week
 * holding some opening time, so `days: []` or `open >= close` would otherwise never end.
 */
function parse(hours: BusinessHours): Parsed {
  const result = BusinessHoursConfig.safeParse(hours);
  if (!result.success) {
    const issues = result.error.issues.map((i) => i.message).join('; ');
    throw new ValidationError(`invalid business hours: ${issues}`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: hours.timezone });
  } catch (cause) {
    throw new ValidationError(`invalid business hours: unknown time zone "${hours.timezone}"`, { cause });
  }
  return {
    timezone: hours.timezone,
    days: new Set(hours.days),
    openMinutes: minutesOf(hours.open),
    closeMinutes: minutesOf(hours.close),
  };
}

/** The opening window of one local day as [start, end) epoch milliseconds, or null if closed. */
function windowOf(day: string, h: Parsed): [number, number] | null {
  if (!h.days.has(isoWeekday(day))) return null;
  return [
    zonedTimeToUtc(day, h.openMinutes, h.timezone).getTime(),
    zonedTimeToUtc(day, h.closeMinutes, h.timezone).getTime(),
  ];
}

/** Milliseconds of opening time in [from, to); 0 when `to` is not after `from`. */
export function businessMillisBetween(from: Date, to: Date, hours: BusinessHours): number {
  const h = parse(hours);
  const start = from.getTime();
  const end = to.getTime();
  if (!(end > start)) return 0;
  let total = 0;
  const lastDay = localDay(to, h.timezone);
  // Opening windows never cross local midnight, so only the local days of `from`..`to` matter.
  for (let day = localDay(from, h.timezone); day <= lastDay; day = addDays(day, 1)) {
    const window = windowOf(day, h);
    if (!window) continue;
    const overlap = Math.min(end, window[1]) - Math.max(start, window[0]);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/**
 * The instant at which `ms` of opening time has elapsed since `from`. Outside opening hours the
 * clock starts at the next opening, so `ms = 0` returns `from` when open, else the next opening.
 * Closing time is excluded: a clock that reaches it resumes at the next opening.
 */
export function addBusinessMillis(from: Date, ms: number, hours: BusinessHours): Date {
  const h = parse(hours);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`addBusinessMillis: ms must be a finite, non-negative number (got ${ms})`);
  }
  const start = from.getTime();
  let remaining = ms;
  // Terminates: parse() guarantees at least one open weekday with open < close, so every week
  // contributes opening time (a window can shrink on a DST day but only one day a year).
  for (let day = localDay(from, h.timezone); ; day = addDays(day, 1)) {
    const window = windowOf(day, h);
    if (!window) continue;
    const begin = Math.max(start, window[0]);
    if (begin >= window[1]) continue;
    if (remaining <= window[1] - begin) return new Date(begin + remaining);
    remaining -= window[1] - begin;
  }
}
