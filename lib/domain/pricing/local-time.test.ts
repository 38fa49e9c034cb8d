import { describe, expect, it } from 'vitest';
import { addDays, instantOfLocalTime, startOfLocalDay, wallClockOf } from './local-time';

const wall = (text: string) => Date.parse(`${text}Z`);
const iso = (ms: number) => new Date(ms).toISOString();

describe('instantOfLocalTime', () => {
  it('reads an ordinary wall time with the offset in force', () => {
    expect(iso(instantOfLocalTime(wall('2026-06-01T16:00:00'), 'America/Chicago'))).toBe(
      '2026-06-01T21:00:00.000Z',
    );
  });

  it('moves a time the clocks skip to where the wall clock continues (02:30 -> 03:30 CDT)', () => {
    expect(iso(instantOfLocalTime(wall('2026-03-08T02:30:00'), 'America/Chicago'))).toBe(
      '2026-03-08T08:30:00.000Z',
    );
  });

  it('takes the first of a time that happens twice (01:30 CDT, not CST)', () => {
    expect(iso(instantOfLocalTime(wall('2026-11-01T01:30:00'), 'America/Chicago'))).toBe(
      '2026-11-01T06:30:00.000Z',
    );
  });

  it('finds the start of a day whose midnight the clocks skip (Santiago, 2026-09-06)', () => {
    expect(iso(instantOfLocalTime(wall('2026-09-06T00:00:00'), 'America/Santiago'))).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });
});

describe('wallClockOf', () => {
  it('reads an instant on the zone wall clock, and instantOfLocalTime reads it back', () => {
    const at = new Date('2026-06-01T21:05:00Z');
    expect(wallClockOf(at, 'America/Chicago')).toBe('2026-06-01T16:05');
    expect(
      instantOfLocalTime(Date.parse(`${wallClockOf(at, 'America/Chicago')}:00Z`), 'America/Chicago'),
    ).toBe(at.getTime());
  });
});

describe('calendar days', () => {
  it('adds days across month and year ends, and back', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-02', -7)).toBe('2026-02-23');
  });

  it('starts a local day at local midnight, whatever the offset that day', () => {
    expect(new Date(startOfLocalDay('2026-03-08', 'America/Chicago')).toISOString()).toBe(
      '2026-03-08T06:00:00.000Z',
    );
    expect(new Date(startOfLocalDay('2026-03-09', 'America/Chicago')).toISOString()).toBe(
      '2026-03-09T05:00:00.000Z',
    );
  });
});
