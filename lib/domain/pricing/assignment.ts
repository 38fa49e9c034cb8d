/**
 * Which tariff applies to a session: the organisation's default, overridden per site, per station,
 * per EVSE, and per driver group. The most specific assignment wins; a group assignment is more
 * specific than any place, because it says who pays (Employees pay less at every site), and a group
 * assignment for a place beats the same group's organisation-wide one. Pure.
 */

export interface TariffAssignment {
  id: string;
  tariffId: string;
  tariffName: string;
  siteId: string | null;
  siteName?: string | null;
  stationId: string | null;
  stationIdentity?: string | null;
  /** Only with stationId. */
  evseId: number | null;
  groupId: string | null;
  groupName?: string | null;
}

/** Where and by whom a session is (to be) charged. */
export interface PricingContext {
  siteId: string | null;
  stationId: string;
  evseId: number | null;
  /** Groups of the driver whose token started the session; empty for unknown tokens. */
  groupIds: readonly string[];
}

export interface TariffChoice {
  assignment: TariffAssignment;
  /** One line for the pricing page and the CDR: why this tariff. */
  reason: string;
}

function matches(a: TariffAssignment, ctx: PricingContext): boolean {
  if (a.groupId !== null && !ctx.groupIds.includes(a.groupId)) return false;
  if (a.evseId !== null && (a.stationId !== ctx.stationId || a.evseId !== ctx.evseId)) return false;
  if (a.stationId !== null && a.stationId !== ctx.stationId) return false;
  if (a.siteId !== null && a.siteId !== ctx.siteId) return false;
  return true;
}

/** Higher is more specific: a group outranks every place; then EVSE > station > site > organisation. */
export function specificity(
  a: Pick<TariffAssignment, 'groupId' | 'siteId' | 'stationId' | 'evseId'>,
): number {
  const place = a.evseId !== null ? 3 : a.stationId !== null ? 2 : a.siteId !== null ? 1 : 0;
  return (a.groupId !== null ? 4 : 0) + place;
}

/** Where an assignment applies, in words ("Employees at station CHI-L2-01", "Site Chicago Loop", "Organisation default"). */
export function describeAssignment(a: TariffAssignment): string {
  const place =
    a.evseId !== null
      ? `station ${a.stationIdentity ?? a.stationId} EVSE ${a.evseId}`
      : a.stationId !== null
        ? `station ${a.stationIdentity ?? a.stationId}`
        : a.siteId !== null
          ? `site ${a.siteName ?? a.siteId}`
          : null;
  if (a.groupId !== null)
    return place ? `${a.groupName ?? 'Group'} at ${place}` : `${a.groupName ?? 'Group'} everywhere`;
  return place ? place.charAt(0).toUpperCase() + place.slice(1) : 'Organisation default';
}

/**
 * The tariff for a session, or null when nothing applies (no default set). When a driver's groups
 * have different tariffs of equal specificity, the driver gets the lower energy price (`energyPrice`
 * tells it per tariff), then the tariff name decides, so the choice is stable.
 */
export function resolveTariff(
  assignments: readonly TariffAssignment[],
  ctx: PricingContext,
  energyPrice: (tariffId: string) => number | null = () => null,
): TariffChoice | null {
  const candidates = assignments.filter((a) => matches(a, ctx));
  if (candidates.length === 0) return null;
  const price = (a: TariffAssignment) => energyPrice(a.tariffId) ?? Number.MAX_SAFE_INTEGER;
  const [best] = [...candidates].sort(
    (a, b) =>
      specificity(b) - specificity(a) || price(a) - price(b) || a.tariffName.localeCompare(b.tariffName),
  );
  if (!best) return null;
  return { assignment: best, reason: describeAssignment(best) };
}
