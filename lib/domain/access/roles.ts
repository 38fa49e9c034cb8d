/** Roles of web users and what each may do. Pure: the single source of truth for permission checks. */
export const roles = ['admin', 'manager', 'technician'] as const;
export type Role = (typeof roles)[number];

/** The signed-in person as every permission check sees them. */
export interface Principal {
  id: string;
  organisationId: string;
  role: Role;
  /** Sites a manager or technician is scoped to; ignored for admins, who see the whole organisation. */
  siteIds: readonly string[];
}

export const permissions = [
  'users:manage',
  'sites:manage',
  'sites:view',
  'stations:view',
  'stations:manage',
  /** Send commands to chargers (remote start/stop, reset, configuration ...). */
  'stations:command',
  /** Set the organisation-wide charger configuration defaults. */
  'configuration:manage',
  'audit:view',
  /** See drivers, their id tokens and driver groups (organisation-wide: drivers are not tied to a site). */
  'drivers:view',
  /** Add and edit drivers and id tokens, block cards, manage driver groups and their members. */
  'drivers:manage',
  /** See incidents, work orders, outages, technicians and spare parts stock. */
  'maintenance:view',
  /** Create, assign, cancel and close work orders; close incidents; schedules; technician profiles. */
  'maintenance:manage',
  /** Set how the organisation detects incidents, remediates them and dispatches work orders. */
  'maintenance:configure',
  /** Keep the parts catalogue, stock locations, receipts and transfers. */
  'parts:manage',
  /** Work on the work orders assigned to oneself (the technician's phone view). */
  'work-orders:work',
  /** See tariffs, charge detail records, driver statements and revenue (CDRs of one's own sites). */
  'billing:view',
  /** Edit tariffs and assign them to one's sites and driver groups; issue credit notes and invoices; record payments. */
  'billing:manage',
  /** See a site's electrical tree, its limits and the live allocation of power. */
  'load:view',
  /** Set limits, schedules, EVSE currents and group priorities; pause or cap sessions; pin a station's maximum. */
  'load:manage',
  'account:manage-own',
] as const;
export type Permission = (typeof permissions)[number];

const grants: Record<Role, readonly Permission[]> = {
  admin: permissions,
  manager: [
    'sites:view',
    'stations:view',
    'stations:manage',
    'stations:command',
    'drivers:view',
    'drivers:manage',
    'maintenance:view',
    'maintenance:manage',
    'parts:manage',
    'billing:view',
    'billing:manage',
    'load:view',
    'load:manage',
    'account:manage-own',
  ],
  technician: ['work-orders:work', 'account:manage-own'],
};

/** Whether a role holds a permission. */
export function roleCan(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

/** Whether a principal may see or act on a site of their organisation. */
export function canAccessSite(principal: Principal, siteId: string): boolean {
  return principal.role === 'admin' || principal.siteIds.includes(siteId);
}

/** Whether a principal may see a station of their organisation: by its site; unplaced ones, admins only. */
export function canAccessStation(principal: Principal, station: { siteId: string | null }): boolean {
  return station.siteId === null ? principal.role === 'admin' : canAccessSite(principal, station.siteId);
}

/** The site ids a query must be limited to, or 'all' for admins. */
export function siteScope(principal: Principal): 'all' | readonly string[] {
  return principal.role === 'admin' ? 'all' : principal.siteIds;
}

/** Where a role lands after signing in. */
export function homePathFor(role: Role): string {
  return role === 'technician' ? '/tech' : '/stations';
}

export const roleLabels: Record<Role, string> = {
  admin: 'Administrator',
  manager: 'Site manager',
  technician: 'Technician',
};
