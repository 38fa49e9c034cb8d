import { describe, expect, it } from 'vitest';
import {
  canAccessSite,
  canAccessStation,
  homePathFor,
  roleCan,
  siteScope,
  type Principal,
  type Permission,
  type Role,
} from './roles';

const aPrincipal = (overrides: Partial<Principal> = {}): Principal => ({
  id: 'u1',
  organisationId: 'o1',
  role: 'manager',
  siteIds: ['s1'],
  ...overrides,
});

describe('roleCan', () => {
  const cases: [Role, Permission, boolean][] = [
    ['admin', 'users:manage', true],
    ['admin', 'sites:manage', true],
    ['manager', 'users:manage', false],
    ['manager', 'sites:manage', false],
    ['manager', 'stations:view', true],
    ['manager', 'sites:view', true],
    ['technician', 'stations:view', false],
    ['technician', 'sites:view', false],
    ['technician', 'account:manage-own', true],
    ['manager', 'account:manage-own', true],
    ['admin', 'audit:view', true],
    ['manager', 'stations:manage', true],
    ['manager', 'stations:command', true],
    ['technician', 'stations:command', false],
    ['manager', 'configuration:manage', false],
    ['admin', 'configuration:manage', true],
    ['technician', 'stations:manage', false],
    ['manager', 'audit:view', false],
    ['technician', 'audit:view', false],
    ['admin', 'drivers:view', true],
    ['admin', 'drivers:manage', true],
    ['manager', 'drivers:view', true],
    ['manager', 'drivers:manage', true],
    ['technician', 'drivers:view', false],
    ['technician', 'drivers:manage', false],
  ];
  it.each(cases)('%s may %s: %s', (role, permission, expected) => {
    expect(roleCan(role, permission)).toBe(expected);
  });
});

describe('site scope', () => {
  it('lets admins reach any site of the organisation', () => {
    const admin = aPrincipal({ role: 'admin', siteIds: [] });
    expect(canAccessSite(admin, 's9')).toBe(true);
    expect(siteScope(admin)).toBe('all');
  });
  it('limits managers to their sites', () => {
    const manager = aPrincipal({ siteIds: ['s1', 's2'] });
    expect(canAccessSite(manager, 's2')).toBe(true);
    expect(canAccessSite(manager, 's3')).toBe(false);
    expect(siteScope(manager)).toEqual(['s1', 's2']);
  });
  it('gives a manager with no sites nothing', () => {
    expect(canAccessSite(aPrincipal({ siteIds: [] }), 's1')).toBe(false);
  });
  it('shows a station by its site, and one not placed on a site to admins only', () => {
    const manager = aPrincipal({ siteIds: ['s1'] });
    expect(canAccessStation(manager, { siteId: 's1' })).toBe(true);
    expect(canAccessStation(manager, { siteId: 's2' })).toBe(false);
    expect(canAccessStation(manager, { siteId: null })).toBe(false);
    expect(canAccessStation(aPrincipal({ role: 'admin', siteIds: [] }), { siteId: null })).toBe(true);
  });
});

describe('homePathFor', () => {
  it('sends technicians to their work orders and others to stations', () => {
    expect(homePathFor('technician')).toBe('/tech');
    expect(homePathFor('manager')).toBe('/stations');
    expect(homePathFor('admin')).toBe('/stations');
  });
});
