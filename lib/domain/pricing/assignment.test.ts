import { describe, expect, it } from 'vitest';
import { resolveTariff, type TariffAssignment } from './assignment';

let n = 0;
function anAssignment(overrides: Partial<TariffAssignment>): TariffAssignment {
  n += 1;
  return {
    id: `a${n}`,
    tariffId: `t${n}`,
    tariffName: `Tariff ${n}`,
    siteId: null,
    stationId: null,
    evseId: null,
    groupId: null,
    ...overrides,
  };
}

const orgDefault = anAssignment({ tariffName: 'Default' });
const site = anAssignment({ tariffName: 'Chicago', siteId: 'chicago', siteName: 'Chicago Loop' });
const station = anAssignment({ tariffName: 'DC fast', stationId: 'dc1', stationIdentity: 'CHI-DC-01' });
const evse = anAssignment({
  tariffName: 'DC fast EVSE 2',
  stationId: 'dc1',
  stationIdentity: 'CHI-DC-01',
  evseId: 2,
});
const employees = anAssignment({ tariffName: 'Employees', groupId: 'employees', groupName: 'Employees' });
const employeesAtChicago = anAssignment({
  tariffName: 'Employees Chicago',
  groupId: 'employees',
  groupName: 'Employees',
  siteId: 'chicago',
  siteName: 'Chicago Loop',
});
const visitors = anAssignment({ tariffName: 'Visitors', groupId: 'visitors', groupName: 'Visitors' });
const all = [orgDefault, site, station, evse, employees, employeesAtChicago, visitors];

const at = (stationId: string, siteId: string | null, evseId: number | null, groupIds: string[] = []) => ({
  stationId,
  siteId,
  evseId,
  groupIds,
});

describe('resolveTariff', () => {
  it.each([
    ['no group, another site', at('x', 'denver', 1), 'Default', 'Organisation default'],
    ['no group, Chicago', at('x', 'chicago', 1), 'Chicago', 'Site Chicago Loop'],
    ['no group, the DC station', at('dc1', 'chicago', 1), 'DC fast', 'Station CHI-DC-01'],
    [
      'no group, the DC station EVSE 2',
      at('dc1', 'chicago', 2),
      'DC fast EVSE 2',
      'Station CHI-DC-01 EVSE 2',
    ],
    ['employee in Denver', at('x', 'denver', 1, ['employees']), 'Employees', 'Employees everywhere'],
    [
      'employee in Chicago',
      at('x', 'chicago', 1, ['employees']),
      'Employees Chicago',
      'Employees at site Chicago Loop',
    ],
    [
      'employee at the DC station',
      at('dc1', 'chicago', 2, ['employees']),
      'Employees Chicago',
      'Employees at site Chicago Loop',
    ],
    ['a group without a tariff', at('x', 'chicago', 1, ['fleet']), 'Chicago', 'Site Chicago Loop'],
  ])('%s', (_, ctx, tariff, reason) => {
    const choice = resolveTariff(all, ctx);
    expect(choice?.assignment.tariffName).toBe(tariff);
    expect(choice?.reason).toBe(reason);
  });

  it('gives a driver in two groups the lower energy price among equally specific tariffs', () => {
    const prices: Record<string, number> = { [employees.tariffId]: 2500, [visitors.tariffId]: 2000 };
    const choice = resolveTariff(
      all,
      at('x', 'denver', 1, ['employees', 'visitors']),
      (id) => prices[id] ?? null,
    );
    expect(choice?.assignment.tariffName).toBe('Visitors');
  });

  it('returns null when no tariff applies', () => {
    expect(resolveTariff([site], at('x', 'denver', 1))).toBeNull();
  });
});
