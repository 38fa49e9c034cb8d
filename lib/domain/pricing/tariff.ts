/**
 * What a tariff is, as the pricing engine reads it. Prices are rates in ten-thousandths of the major
 * unit (money.ts RATE_SCALE); fixed amounts are minor units. Pure: no I/O.
 */
import type { TimeWindow } from '../access/authorization';

/** Per-unit prices; null means "not charged" (the same as zero, but shown as absent). */
export interface UnitPrices {
  /** Per kWh delivered. */
  energyPerKwh: number | null;
  /** Per minute while the EV is charging. */
  timePerMinute: number | null;
  /** Per minute occupied but not charging, after the grace period. */
  idlePerMinute: number | null;
}

/**
 * A time-of-use band: its prices replace the base prices (where set) while it is in force, in the
 * site's time zone. The window is the access rules' weekly window (days 0 = Sunday ... 6 =
 * Saturday, 'HH:MM' start inclusive, end exclusive, an end at or before the start runs past
 * midnight and belongs to the day it starts). The first matching band in the list wins.
 */
export interface TimeBand {
  label: string;
  window: TimeWindow;
  prices: UnitPrices;
}

/** One version of a tariff, in force from `validFrom` until the next version's `validFrom`. */
export interface TariffVersion {
  id: string;
  tariffId: string;
  tariffName: string;
  validFrom: Date;
  currency: string;
  /** Tax rate in basis points (2000 = 20 %). */
  taxRateBp: number;
  /** True when the prices entered include tax (gross), false when tax is added on top (net). */
  pricesIncludeTax: boolean;
  base: UnitPrices;
  /** A fixed fee per session, minor units. */
  sessionFee: number;
  /** Minutes of each idle stretch that are free before the idle price applies. */
  idleGraceMinutes: number;
  /** Bounds on the session's price before tax is split out, minor units. */
  minPrice: number | null;
  maxPrice: number | null;
  bands: TimeBand[];
}

/** The version in force at `at`: the latest with validFrom <= at; undefined when none has begun. */
export function versionInForce<V extends { validFrom: Date }>(
  versions: readonly V[],
  at: Date,
): V | undefined {
  let chosen: V | undefined;
  for (const v of versions) {
    if (v.validFrom.getTime() > at.getTime()) continue;
    if (!chosen || v.validFrom.getTime() > chosen.validFrom.getTime()) chosen = v;
  }
  return chosen;
}
