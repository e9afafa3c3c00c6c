import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isValidDay, localDay } from '../../../shared/domain/calendar.ts';

describe('calendar', () => {
  it('puts an instant on its day in the community time zone', () => {
    expect(localDay('2026-11-20T23:30:00Z', 'Europe/Paris')).toBe('2026-11-21');
    expect(localDay('2026-11-20T23:30:00Z', 'America/New_York')).toBe('2026-11-20');
  });

  it('handles the day the clocks go back', () => {
    // 26 Oct 2025: Paris goes from UTC+2 to UTC+1 at 01:00 UTC.
    expect(localDay('2025-10-25T22:30:00Z', 'Europe/Paris')).toBe('2025-10-26');
    expect(localDay('2025-10-26T22:30:00Z', 'Europe/Paris')).toBe('2025-10-26');
    expect(localDay('2025-10-26T23:30:00Z', 'Europe/Paris')).toBe('2025-10-27');
  });

  it('validates calendar dates', () => {
    expect(isValidDay('2026-02-28')).toBe(true);
    expect(isValidDay('2026-02-30')).toBe(false);
    expect(isValidDay('2026-2-3')).toBe(false);
  });

  it('counts days across month ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(daysBetween('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
  });
});
