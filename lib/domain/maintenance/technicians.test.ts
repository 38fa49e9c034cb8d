import { describe, expect, it } from 'vitest';
import { certificationStanding, describeWorkDays } from './technicians';

const NOW = new Date('2026-06-03T15:00:00Z');
const expiresOn = (day: string) => new Date(`${day}T00:00:00Z`);

describe('certificationStanding', () => {
  it.each([
    ['no expiry', null, { state: 'permanent' }],
    ['expired last year', expiresOn('2025-06-03'), { state: 'expired' }],
    ['expiring today (midnight has passed)', expiresOn('2026-06-03'), { state: 'expired' }],
    ['expiring at this very instant', NOW, { state: 'expired' }],
    ['expiring tomorrow', expiresOn('2026-06-04'), { state: 'expiring', daysLeft: 1 }],
    ['29 days away', expiresOn('2026-07-02'), { state: 'expiring', daysLeft: 29 }],
    ['30 days away', expiresOn('2026-07-03'), { state: 'valid', daysLeft: 30 }],
    ['next year', expiresOn('2027-06-03'), { state: 'valid', daysLeft: 365 }],
  ] as const)('%s', (_, date, expected) => {
    expect(certificationStanding(date, NOW)).toEqual(expected);
  });
});

describe('describeWorkDays', () => {
  it.each([
    [[1, 2, 3, 4, 5], 'Mon–Fri'],
    [[5, 4, 3, 2, 1], 'Mon–Fri'],
    [[1, 2, 4, 6], 'Mon, Tue, Thu, Sat'],
    [[6, 7], 'Sat, Sun'],
    [[1, 2, 3, 5, 6, 7], 'Mon–Wed, Fri–Sun'],
    [[3], 'Wed'],
    [[], 'Every day'],
    [[1, 2, 3, 4, 5, 6, 7], 'Every day'],
    [[1, 1, 2, 9], 'Mon, Tue'],
  ])('%j reads %s', (days, expected) => {
    expect(describeWorkDays(days)).toBe(expected);
  });
});
