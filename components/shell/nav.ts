import type { Permission } from '@/lib/domain/access/roles';

export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
}

/**
 * The operator menu, in the order of the product (Map, Stations, Sessions, Drivers & groups,
 * Tariffs, Load, Work orders, Reports, Settings). Only pages that exist are listed; each later
 * feature adds its line here.
 */
export const navItems: NavItem[] = [
  { href: '/map', label: 'Map', permission: 'stations:view' },
  { href: '/stations', label: 'Stations', permission: 'stations:view' },
  { href: '/sessions', label: 'Sessions', permission: 'stations:view' },
  { href: '/drivers', label: 'Drivers', permission: 'drivers:view' },
  { href: '/billing', label: 'Billing', permission: 'billing:view' },
  { href: '/load', label: 'Load', permission: 'load:view' },
  { href: '/maintenance', label: 'Maintenance', permission: 'maintenance:view' },
  { href: '/tech', label: 'My work orders', permission: 'work-orders:work' },
  { href: '/settings', label: 'Settings', permission: 'users:manage' },
];
