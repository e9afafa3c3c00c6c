import { describe, expect, it } from 'vitest';
import {
  addBusinessMillis,
  type BusinessHours,
  BusinessHoursConfig,
  businessMillisBetween,
} from '../../../shared/domain/business-hours.ts';
import { ValidationError } from '../../../shared/domain/errors.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const OFFICE: BusinessHours = {
  timezone: 'Europe/Paris',
  days: [1, 2, 3, 4, 5],
  open: '09:00',
  close: '18:00',
};
const t = (iso: string): Date => new Date(iso);

describe('businessMillisBetween', () => {
  it('counts only weekday opening hours across a weekend', () => {
    // Fri 20 Nov 2026 17:00 CET → Mon 23 Nov 10:00 CET: one hour on Friday, one on Monday.
    const ms = businessMillisBetween(t('2026-11-20T16:00:00Z'), t('2026-11-23T09:00:00Z'), OFFICE);
    expect(ms).toBe(2 * HOUR);
  });

  it('counts nothing outside opening hours', () => {
    // Sat 21 Nov 2026, all day, then Mon 08:00–09:00 before opening.
    expect(businessMillisBetween(t('2026-11-21T00:00:00Z'), t('2026-11-23T08:00:00Z'), OFFICE)).toBe(0);
  });

  it('returns 0 when the end is not after the start', () => {
    expect(businessMillisBetween(t('2026-11-23T10:00:00Z'), t('2026-11-23T10:00:00Z'), OFFICE)).toBe(0);
    expect(businessMillisBetween(t('2026-11-23T12:00:00Z'), t('2026-11-23T10:00:00Z'), OFFICE)).toBe(0);
  });

  it('sums whole weeks over a span of several weeks', () => {
    // Mon 2 Nov 2026 00:00 → Mon 30 Nov 00:00 (Paris): 4 weeks × 5 days × 9 h.
    const ms = businessMillisBetween(t('2026-11-01T23:00:00Z'), t('2026-11-29T23:00:00Z'), OFFICE);
    expect(ms).toBe(180 * HOUR);
  });

  it('keeps 9-hour days across the spring-forward weekend (2026-03-29)', () => {
    // Fri 27 Mar 17:00 CET (16:00Z) → Mon 30 Mar 10:00 CEST (08:00Z): 64 real hours, 2 open ones.
    const ms = businessMillisBetween(t('2026-03-27T16:00:00Z'), t('2026-03-30T08:00:00Z'), OFFICE);
    expect(ms).toBe(2 * HOUR);
    // Mon 23 Mar 09:00 CET → Mon 6 Apr 09:00 CEST: 14 days less one real hour, two full weeks open.
    const weeks = businessMillisBetween(t('2026-03-23T08:00:00Z'), t('2026-04-06T07:00:00Z'), OFFICE);
    expect(weeks).toBe(90 * HOUR);
  });

  it('counts 23 and 25 hours on the DST Sundays when open round the clock', () => {
    const always: BusinessHours = {
      timezone: 'Europe/Paris',
      days: [1, 2, 3, 4, 5, 6, 7],
      open: '00:00',
      close: '24:00',
    };
    // Local midnight to local midnight.
    expect(businessMillisBetween(t('2026-03-28T23:00:00Z'), t('2026-03-29T22:00:00Z'), always)).toBe(
      23 * HOUR,
    );
    expect(businessMillisBetween(t('2026-10-24T22:00:00Z'), t('2026-10-25T23:00:00Z'), always)).toBe(
      25 * HOUR,
    );
  });

  it('measures a window that contains the DST change in real time', () => {
    const night: BusinessHours = { timezone: 'Europe/Paris', days: [7], open: '01:00', close: '04:00' };
    // Sun 29 Mar: 01:00 CET = 00:00Z to 04:00 CEST = 02:00Z → 2 h.
    expect(businessMillisBetween(t('2026-03-28T12:00:00Z'), t('2026-03-29T12:00:00Z'), night)).toBe(2 * HOUR);
    // Sun 25 Oct: 01:00 CEST = 23:00Z (24 Oct) to 04:00 CET = 03:00Z → 4 h.
    expect(businessMillisBetween(t('2026-10-24T12:00:00Z'), t('2026-10-25T12:00:00Z'), night)).toBe(4 * HOUR);
  });

  it('counts a full year of weekdays', () => {
    // 2026 has 261 weekdays (52 weeks + Thursday 31 Dec); 261 × 9 h.
    const ms = businessMillisBetween(t('2025-12-31T23:00:00Z'), t('2026-12-31T23:00:00Z'), OFFICE);
    expect(ms).toBe(2349 * HOUR);
  });

  it('handles a zone west of Greenwich where local days straddle UTC days', () => {
    const ny: BusinessHours = {
      timezone: 'America/New_York',
      days: [1, 2, 3, 4, 5],
      open: '17:00',
      close: '23:00',
    };
    // Mon 23 Nov 2026 22:00 EST (03:00Z Tue) → Tue 18:00 EST (23:00Z Tue): 1 h Monday + 1 h Tuesday.
    expect(businessMillisBetween(t('2026-11-24T03:00:00Z'), t('2026-11-24T23:00:00Z'), ny)).toBe(2 * HOUR);
  });
});

describe('addBusinessMillis', () => {
  it('carries the remainder over the weekend', () => {
    // Fri 20 Nov 17:00 CET + 2 h of opening time → Mon 23 Nov 10:00 CET.
    expect(addBusinessMillis(t('2026-11-20T16:00:00Z'), 2 * HOUR, OFFICE).toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });

  it('starts the clock at the next opening when started outside hours', () => {
    // Sat 21 Nov 12:00 + 30 min → Mon 23 Nov 09:30 CET.
    expect(addBusinessMillis(t('2026-11-21T11:00:00Z'), 30 * MIN, OFFICE).toISOString()).toBe(
      '2026-11-23T08:30:00.000Z',
    );
    // Tue 24 Nov 07:00 CET, before opening + 1 h → 10:00 CET the same day.
    expect(addBusinessMillis(t('2026-11-24T06:00:00Z'), HOUR, OFFICE).toISOString()).toBe(
      '2026-11-24T09:00:00.000Z',
    );
  });

  it('returns the start itself for zero inside hours and the next opening outside', () => {
    expect(addBusinessMillis(t('2026-11-23T10:00:00Z'), 0, OFFICE).toISOString()).toBe(
      '2026-11-23T10:00:00.000Z',
    );
    expect(addBusinessMillis(t('2026-11-20T17:00:00Z'), 0, OFFICE).toISOString()).toBe(
      '2026-11-23T08:00:00.000Z',
    );
  });

  it('resumes at the next opening when started exactly at closing time', () => {
    // Fri 20 Nov 18:00 CET is closed (close is excluded) → Mon 09:01.
    expect(addBusinessMillis(t('2026-11-20T17:00:00Z'), MIN, OFFICE).toISOString()).toBe(
      '2026-11-23T08:01:00.000Z',
    );
  });

  it('lands on closing time when the budget ends exactly there', () => {
    // Mon 2 Nov 09:00 CET + 4 weeks of opening time (180 h) → Fri 27 Nov 18:00 CET.
    expect(addBusinessMillis(t('2026-11-02T08:00:00Z'), 180 * HOUR, OFFICE).toISOString()).toBe(
      '2026-11-27T17:00:00.000Z',
    );
  });

  it('crosses the spring-forward weekend without gaining or losing an hour', () => {
    // Fri 27 Mar 17:00 CET + 2 h → Mon 30 Mar 10:00 CEST (08:00Z).
    expect(addBusinessMillis(t('2026-03-27T16:00:00Z'), 2 * HOUR, OFFICE).toISOString()).toBe(
      '2026-03-30T08:00:00.000Z',
    );
    // Mon 23 Mar 09:00 CET + 90 h → Fri 3 Apr 18:00 CEST (16:00Z).
    expect(addBusinessMillis(t('2026-03-23T08:00:00Z'), 90 * HOUR, OFFICE).toISOString()).toBe(
      '2026-04-03T16:00:00.000Z',
    );
  });

  it('crosses the fall-back weekend without gaining or losing an hour', () => {
    // Fri 23 Oct 17:00 CEST (15:00Z) + 2 h → Mon 26 Oct 10:00 CET (09:00Z).
    expect(addBusinessMillis(t('2026-10-23T15:00:00Z'), 2 * HOUR, OFFICE).toISOString()).toBe(
      '2026-10-26T09:00:00.000Z',
    );
  });

  it('follows a window that contains the DST change, then the next week', () => {
    const night: BusinessHours = { timezone: 'Europe/Paris', days: [7], open: '01:00', close: '04:00' };
    // Sun 29 Mar 01:00 CET (00:00Z) + 90 min → 01:30Z, which reads 03:30 CEST.
    expect(addBusinessMillis(t('2026-03-29T00:00:00Z'), 90 * MIN, night).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // From Saturday, 2 h 30: the 2 h of 29 Mar, then 30 min after 01:00 CEST on 5 Apr (23:00Z, 4 Apr).
    expect(addBusinessMillis(t('2026-03-28T12:00:00Z'), 150 * MIN, night).toISOString()).toBe(
      '2026-04-04T23:30:00.000Z',
    );
  });

  it('is the inverse of businessMillisBetween for starts inside hours', () => {
    const starts = ['2026-03-25T10:17:00Z', '2026-10-22T14:59:30Z', '2026-12-30T08:00:00Z'];
    const budgets = [1, 7 * MIN, 5 * HOUR + 123, 40 * HOUR, 200 * HOUR];
    for (const start of starts) {
      for (const ms of budgets) {
        const end = addBusinessMillis(t(start), ms, OFFICE);
        expect(businessMillisBetween(t(start), end, OFFICE)).toBe(ms);
      }
    }
  });

  it('rejects a negative or infinite budget', () => {
    expect(() => addBusinessMillis(t('2026-11-23T10:00:00Z'), -1, OFFICE)).toThrow(RangeError);
    expect(() => addBusinessMillis(t('2026-11-23T10:00:00Z'), Number.POSITIVE_INFINITY, OFFICE)).toThrow(
      RangeError,
    );
  });
});

describe('invalid business hours', () => {
  const cases: [string, BusinessHours, RegExp][] = [
    ['no open day', { ...OFFICE, days: [] }, /at least one weekday/],
    ['open equal to close', { ...OFFICE, open: '09:00', close: '09:00' }, /open must be earlier than close/],
    ['close before open', { ...OFFICE, open: '18:00', close: '09:00' }, /open must be earlier than close/],
    ['a malformed time', { ...OFFICE, open: '9:00' }, /open must be HH:MM/],
    ['a weekday out of range', { ...OFFICE, days: [0, 1] }, /ISO weekdays/],
    ['an unknown time zone', { ...OFFICE, timezone: 'Mars/Olympus' }, /unknown time zone "Mars\/Olympus"/],
  ];

  it.each(cases)('throws a ValidationError for %s', (_label, hours, message) => {
    expect(() => businessMillisBetween(t('2026-11-23T10:00:00Z'), t('2026-11-24T10:00:00Z'), hours)).toThrow(
      ValidationError,
    );
    expect(() => addBusinessMillis(t('2026-11-23T10:00:00Z'), HOUR, hours)).toThrow(message);
  });
});

describe('BusinessHoursConfig', () => {
  const messages = (input: unknown): string[] => {
    const result = BusinessHoursConfig.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts weekday office hours and hours until midnight', () => {
    expect(messages({ days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' })).toEqual([]);
    expect(messages({ days: [6], open: '00:00', close: '24:00' })).toEqual([]);
  });

  it('names the problem in each rejected field', () => {
    expect(messages({ days: [], open: '09:00', close: '18:00' })).toEqual([
      'days: days must name at least one weekday, or leave businessHours out for round-the-clock',
    ]);
    expect(messages({ days: [1, 1], open: '09:00', close: '18:00' })).toEqual([
      'days: days must not repeat a weekday',
    ]);
    expect(messages({ days: [8], open: '09:00', close: '18:00' })).toEqual([
      'days.0: days are ISO weekdays: 1 (Monday) to 7 (Sunday)',
    ]);
    expect(messages({ days: [1], open: '24:00', close: '18:00' })).toEqual([
      'open: open must be HH:MM between 00:00 and 23:59',
    ]);
    expect(messages({ days: [1], open: '18:00', close: '09:00' })).toEqual([
      'close: open must be earlier than close (hours that cross midnight are not supported)',
    ]);
  });
});
