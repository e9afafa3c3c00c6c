import { describe, expect, it } from 'vitest';
import {
  isoWeekday,
  isoWeekLabel,
  isoWeekStart,
  localTime,
  zonedTimeToUtc,
} from '../../../shared/domain/calendar.ts';

const PARIS = 'Europe/Paris';
const at = (day: string, hhmm: string, tz: string): string => {
  const minutes = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return zonedTimeToUtc(day, minutes, tz).toISOString();
};

describe('zonedTimeToUtc', () => {
  it('subtracts the winter and summer offsets on ordinary days', () => {
    expect(at('2026-11-20', '09:00', PARIS)).toBe('2026-11-20T08:00:00.000Z');
    expect(at('2026-07-01', '09:00', PARIS)).toBe('2026-07-01T07:00:00.000Z');
    expect(at('2026-07-01', '09:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    expect(at('2026-01-15', '09:00', 'Asia/Kolkata')).toBe('2026-01-15T03:30:00.000Z');
  });

  it('treats 1440 minutes as the next local midnight', () => {
    expect(zonedTimeToUtc('2026-07-01', 1440, PARIS).toISOString()).toBe('2026-07-01T22:00:00.000Z');
  });

  it('maps wall times skipped by the Paris spring-forward gap to the end of the gap', () => {
    // 29 Mar 2026: at 01:00Z Paris jumps from 02:00 CET to 03:00 CEST.
    expect(at('2026-03-29', '01:59', PARIS)).toBe('2026-03-29T00:59:00.000Z');
    expect(at('2026-03-29', '02:00', PARIS)).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-29', '02:30', PARIS)).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-29', '03:00', PARIS)).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-29', '03:01', PARIS)).toBe('2026-03-29T01:01:00.000Z');
  });

  it('maps wall times repeated by the Paris fall-back to their first occurrence', () => {
    // 25 Oct 2026: at 01:00Z Paris goes back from 03:00 CEST to 02:00 CET; 02:00–02:59 happen twice.
    expect(at('2026-10-25', '01:59', PARIS)).toBe('2026-10-24T23:59:00.000Z');
    expect(at('2026-10-25', '02:00', PARIS)).toBe('2026-10-25T00:00:00.000Z');
    expect(at('2026-10-25', '02:30', PARIS)).toBe('2026-10-25T00:30:00.000Z');
    expect(at('2026-10-25', '03:00', PARIS)).toBe('2026-10-25T02:00:00.000Z');
  });

  it('handles New York gaps and overlaps at 02:00 local', () => {
    expect(at('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(at('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
  });

  it('handles a half-hour DST shift (Lord Howe) and a skipped calendar day (Samoa, 2011)', () => {
    // Lord Howe goes from +10:30 to +11:00 at 02:00 local on 4 Oct 2026.
    expect(at('2026-10-04', '02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z');
    // Samoa jumped from 29 Dec 2011 (UTC-10) straight to 31 Dec (UTC+14) at 10:00Z.
    expect(at('2011-12-30', '12:00', 'Pacific/Apia')).toBe('2011-12-30T10:00:00.000Z');
  });

  it('round-trips through localTime for every existing quarter hour of both Paris DST days', () => {
    for (const day of ['2026-03-29', '2026-10-25']) {
      for (let minutes = 0; minutes < 1440; minutes += 15) {
        const hour = Math.floor(minutes / 60);
        if (day === '2026-03-29' && hour === 2) continue; // skipped wall times
        const local = localTime(zonedTimeToUtc(day, minutes, PARIS), PARIS);
        expect(local).toEqual({ date: day, hour, minute: minutes % 60 });
      }
    }
  });

  it('rejects a malformed day', () => {
    expect(() => zonedTimeToUtc('2026-02-30', 0, PARIS)).toThrow(/not a YYYY-MM-DD day/);
  });
});

describe('ISO weeks', () => {
  it('numbers weekdays from Monday = 1 to Sunday = 7', () => {
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
  });

  it('starts weeks on Monday, across a year boundary', () => {
    expect(isoWeekStart('2026-11-23')).toBe('2026-11-23');
    expect(isoWeekStart('2026-11-29')).toBe('2026-11-23');
    expect(isoWeekStart('2026-12-31')).toBe('2026-12-28');
    expect(isoWeekStart('2027-01-01')).toBe('2026-12-28');
    expect(isoWeekStart('2027-01-03')).toBe('2026-12-28');
    expect(isoWeekStart('2027-01-04')).toBe('2027-01-04');
  });

  it('labels early-January days with the previous ISO year when their Thursday is in December', () => {
    // 2026 starts on a Thursday, so it has 53 ISO weeks and W53 runs 28 Dec 2026 – 3 Jan 2027.
    expect(isoWeekLabel('2026-11-23')).toBe('2026-W48');
    expect(isoWeekLabel('2026-12-31')).toBe('2026-W53');
    expect(isoWeekLabel('2027-01-01')).toBe('2026-W53');
    expect(isoWeekLabel('2027-01-03')).toBe('2026-W53');
    expect(isoWeekLabel('2027-01-04')).toBe('2027-W01');
  });

  it('labels late-December days with the next ISO year when their Thursday is in January', () => {
    // 1 Jan 2026 is a Thursday: the week of Mon 29 Dec 2025 is 2026-W01.
    expect(isoWeekStart('2025-12-29')).toBe('2025-12-29');
    expect(isoWeekLabel('2025-12-29')).toBe('2026-W01');
    expect(isoWeekLabel('2026-01-01')).toBe('2026-W01');
    expect(isoWeekLabel('2025-12-28')).toBe('2025-W52');
  });
});
