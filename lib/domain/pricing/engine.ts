/**
 * The pricing engine: one pure function from a tariff version and what a session did (energy
 * register readings, charging/idle periods) to a cost breakdown.
 *
 * Rules, in the order they apply (docs/billing.md explains them to operators):
 * 1. The session is cut into pieces at every meter reading, every change between charging and
 *    idle, and every local time where a time-of-use band starts or ends (site's zone, DST aware).
 * 2. Energy between two readings is the rise of the register; a fall means the meter was reset or
 *    replaced, so that interval counts zero and counting resumes from the new reading (nothing is
 *    billed that the meter does not show). Between readings, energy is spread over the charging
 *    time of the interval (over all of it when the charger reported no charging), which is how a
 *    session with missing samples still lands in the right bands.
 * 3. Charging time is the time in the charging state; idle time the time the EV sat without
 *    charging, and each idle stretch is free for the first `idleGraceMinutes`; time the charger
 *    held the session back (paused) is neither.
 * 4. Each (component, band) line is rounded to the currency's minor unit on its own (half away from
 *    zero); the session fee is one line; the subtotal is the sum of the lines.
 * 5. A session that delivered no energy pays no energy, time or session fee and no minimum: only
 *    idle time, which is about blocking the bay, not about charging.
 * 6. The minimum and maximum price bound the subtotal, as a line of their own.
 * 7. Tax: prices entered net get tax added (rounded once on the subtotal); prices entered gross
 *    contain it, and the tax part is split out.
 */
import { isInWindow } from '../access/authorization';
import { amountFor, percentOf, taxIncludedIn } from './money';
import { localEdgesBetween } from './local-time';
import type { TariffVersion, UnitPrices } from './tariff';

/**
 * charging: energy flows (charging time is billed); idle: the EV occupies the bay without charging
 * (SuspendedEV, EVConnected: idle fees apply); paused: the charger holds it back (SuspendedEVSE,
 * a fault, load management): neither charging time nor idle time is billed.
 */
export type ChargingState = 'charging' | 'idle' | 'paused';

/** What happened during a session, as recorded. */
export interface SessionUsage {
  startedAt: Date;
  /** The stop time, or "now" for the running cost of a session in progress. */
  endedAt: Date;
  /** Register at start and stop (Wh); null when the charger did not say. */
  meterStartWh: number | null;
  meterStopWh: number | null;
  /** Energy.Active.Import.Register readings (Wh) during the session, any order. */
  readings: readonly { at: Date; wh: number }[];
  /** Changes of state; before the first, the session is charging. Empty = charging throughout. */
  states: readonly { at: Date; state: ChargingState }[];
}

export type CostLineKind = 'energy' | 'time' | 'idle' | 'session' | 'minimum' | 'maximum';

export interface CostLine {
  kind: CostLineKind;
  /** The time-of-use band's label, or null for the base prices (and fixed lines). */
  band: string | null;
  /** Wh for energy, seconds for time and idle, 1 for fixed lines. */
  quantity: number;
  /** The rate applied (ten-thousandths of the major unit per kWh or per minute); null for fixed lines. */
  rate: number | null;
  /** Minor units, rounded on its own; in the tariff's basis (net or gross). */
  amount: number;
}

export interface CostBreakdown {
  tariffVersionId: string;
  currency: string;
  energyWh: number;
  chargingSeconds: number;
  idleSeconds: number;
  billableIdleSeconds: number;
  lines: CostLine[];
  /** Sum of the lines (after min/max), in the tariff's basis. */
  subtotal: number;
  net: number;
  tax: number;
  total: number;
  taxRateBp: number;
  pricesIncludeTax: boolean;
}

interface Piece {
  from: number;
  to: number;
  state: ChargingState;
  band: number; // index into bands, -1 = base prices
  wh: number; // fractional
}

/** The band in force at an instant (first match), or -1 for the base prices. */
function bandAt(version: TariffVersion, timeZone: string, at: number): number {
  return version.bands.findIndex((band) => isInWindow(band.window, timeZone, new Date(at)));
}

function clockMinutes(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/** The unit prices in force at an instant: the band's where it sets them, else the base prices. */
export function pricesAt(
  version: TariffVersion,
  timeZone: string,
  at: Date,
): UnitPrices & { band: string | null } {
  const index = bandAt(version, timeZone, at.getTime());
  return mergedPrices(version, index);
}

function mergedPrices(version: TariffVersion, index: number): UnitPrices & { band: string | null } {
  const band = index >= 0 ? version.bands[index] : undefined;
  if (!band) return { ...version.base, band: null };
  return {
    energyPerKwh: band.prices.energyPerKwh ?? version.base.energyPerKwh,
    timePerMinute: band.prices.timePerMinute ?? version.base.timePerMinute,
    idlePerMinute: band.prices.idlePerMinute ?? version.base.idlePerMinute,
    band: band.label,
  };
}

/** Register readings in time order, bracketed by the start and stop registers where known. */
function registerPoints(usage: SessionUsage, start: number, end: number): { t: number; wh: number }[] {
  const points = usage.readings
    .map((r) => ({ t: r.at.getTime(), wh: r.wh }))
    .filter((p) => p.t >= start && p.t <= end && Number.isFinite(p.wh))
    .sort((a, b) => a.t - b.t);
  if (usage.meterStartWh !== null) points.unshift({ t: start, wh: usage.meterStartWh });
  if (usage.meterStopWh !== null) points.push({ t: end, wh: usage.meterStopWh });
  return points;
}

function cutPoints(
  usage: SessionUsage,
  version: TariffVersion,
  timeZone: string,
  start: number,
  end: number,
) {
  const cuts = new Set<number>([start, end]);
  for (const r of usage.readings) cuts.add(r.at.getTime());
  for (const s of usage.states) cuts.add(s.at.getTime());
  if (version.bands.length > 0) {
    const edges = version.bands.flatMap((b) => [clockMinutes(b.window.start), clockMinutes(b.window.end)]);
    for (const t of localEdgesBetween(timeZone, start, end, edges)) cuts.add(t);
  }
  return [...cuts].filter((t) => t >= start && t <= end).sort((a, b) => a - b);
}

function stateAt(states: readonly { t: number; state: ChargingState }[], at: number): ChargingState {
  let state: ChargingState = 'charging';
  for (const s of states) {
    if (s.t > at) break;
    state = s.state;
  }
  return state;
}

/** Splits integer `total` over fractional weights so the parts sum exactly (largest remainder). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total === 0) return weights.map(() => 0);
  const raw = weights.map((w) => (w / sum) * total);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => ({ i, rest: r - Math.floor(r) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

/**
 * Prices a session with one tariff version, in the site's time zone. Throws on an unknown zone or
 * a session that ends before it starts.
 */
export function priceSession(version: TariffVersion, usage: SessionUsage, timeZone: string): CostBreakdown {
  const start = usage.startedAt.getTime();
  const end = Math.max(start, usage.endedAt.getTime());
  if (Number.isNaN(start) || Number.isNaN(end)) throw new Error('session times are not valid dates');
  const states = usage.states.map((s) => ({ t: s.at.getTime(), state: s.state })).sort((a, b) => a.t - b.t);

  // 1. Pieces between consecutive cuts, each in one state and one band.
  const cuts = cutPoints(usage, version, timeZone, start, end);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i]!;
    const to = cuts[i + 1]!;
    if (to <= from) continue;
    pieces.push({ from, to, state: stateAt(states, from), band: bandAt(version, timeZone, from), wh: 0 });
  }

  // 2. Energy per register interval, spread over the interval's pieces.
  const points = registerPoints(usage, start, end);
  let totalWh = 0;
  // Energy of an interval with no time in it (a session whose start and stop carry the same
  // timestamp) still counts, in the band in force at that instant.
  const looseWh = new Map<number, number>();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const rise = b.wh - a.wh;
    if (rise <= 0) continue; // a reset or a replaced meter: nothing provable in this interval
    totalWh += rise;
    const inside = pieces.filter((p) => p.from >= a.t && p.to <= b.t);
    if (inside.length === 0) {
      const band = bandAt(version, timeZone, a.t);
      looseWh.set(band, (looseWh.get(band) ?? 0) + rise);
      continue;
    }
    const charging = inside.filter((p) => p.state === 'charging');
    const over = charging.length > 0 ? charging : inside;
    const span = over.reduce((sum, p) => sum + (p.to - p.from), 0);
    for (const p of over) p.wh += span > 0 ? (rise * (p.to - p.from)) / span : rise / over.length;
  }
  const energyWh = Math.round(totalWh);

  // 3. Idle stretches: the first idleGraceMinutes of each are free.
  const graceMs = version.idleGraceMinutes * 60_000;
  const billableIdleMs = new Map<Piece, number>();
  let stretchUsed = 0;
  let previous: Piece | undefined;
  for (const p of pieces) {
    if (p.state !== 'idle') {
      previous = p;
      continue;
    }
    if (!previous || previous.state !== 'idle' || previous.to !== p.from) stretchUsed = 0;
    const length = p.to - p.from;
    const free = Math.max(0, Math.min(length, graceMs - stretchUsed));
    stretchUsed += length;
    billableIdleMs.set(p, length - free);
    previous = p;
  }

  // 4. Quantities per (band), then one rounded line per component and band.
  const bandIds = [...new Set([...pieces.map((p) => p.band), ...looseWh.keys()])].sort((a, b) => a - b);
  const whByBand = apportion(
    energyWh,
    bandIds.map(
      (id) => pieces.filter((p) => p.band === id).reduce((sum, p) => sum + p.wh, 0) + (looseWh.get(id) ?? 0),
    ),
  );
  const zeroEnergy = energyWh === 0;
  const lines: CostLine[] = [];
  let chargingMs = 0;
  let idleMs = 0;
  let billableIdleTotal = 0;
  bandIds.forEach((id, index) => {
    const prices = mergedPrices(version, id);
    const own = pieces.filter((p) => p.band === id);
    const chargingSeconds = Math.round(
      own.filter((p) => p.state === 'charging').reduce((sum, p) => sum + p.to - p.from, 0) / 1000,
    );
    const bandIdleMs = own.filter((p) => p.state === 'idle').reduce((sum, p) => sum + p.to - p.from, 0);
    const bandBillableMs = own.reduce((sum, p) => sum + (billableIdleMs.get(p) ?? 0), 0);
    chargingMs += chargingSeconds * 1000;
    idleMs += bandIdleMs;
    billableIdleTotal += bandBillableMs;
    const idleSeconds = Math.round(bandBillableMs / 1000);
    const wh = whByBand[index] ?? 0;
    const add = (kind: CostLineKind, quantity: number, rate: number | null, per: number) => {
      if (rate === null || quantity === 0) return;
      lines.push({
        kind,
        band: prices.band,
        quantity,
        rate,
        amount: amountFor(quantity, rate, per, version.currency),
      });
    };
    if (!zeroEnergy) {
      add('energy', wh, prices.energyPerKwh, 1000);
      add('time', chargingSeconds, prices.timePerMinute, 60);
    }
    add('idle', idleSeconds, prices.idlePerMinute, 60);
  });
  if (!zeroEnergy && version.sessionFee !== 0) {
    lines.push({ kind: 'session', band: null, quantity: 1, rate: null, amount: version.sessionFee });
  }
  // Lines in a stable order: component, then band as the tariff lists them.
  const kindOrder: CostLineKind[] = ['energy', 'time', 'idle', 'session', 'minimum', 'maximum'];
  lines.sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind));

  // 6. Minimum and maximum.
  let subtotal = lines.reduce((sum, l) => sum + l.amount, 0);
  if (!zeroEnergy && version.minPrice !== null && subtotal < version.minPrice) {
    lines.push({ kind: 'minimum', band: null, quantity: 1, rate: null, amount: version.minPrice - subtotal });
    subtotal = version.minPrice;
  }
  if (version.maxPrice !== null && subtotal > version.maxPrice) {
    lines.push({ kind: 'maximum', band: null, quantity: 1, rate: null, amount: version.maxPrice - subtotal });
    subtotal = version.maxPrice;
  }

  // 7. Tax.
  let net: number;
  let tax: number;
  let total: number;
  if (version.pricesIncludeTax) {
    total = subtotal;
    tax = taxIncludedIn(total, version.taxRateBp);
    net = total - tax;
  } else {
    net = subtotal;
    tax = percentOf(net, version.taxRateBp);
    total = net + tax;
  }

  return {
    tariffVersionId: version.id,
    currency: version.currency,
    energyWh,
    chargingSeconds: Math.round(chargingMs / 1000),
    idleSeconds: Math.round(idleMs / 1000),
    billableIdleSeconds: Math.round(billableIdleTotal / 1000),
    lines,
    subtotal,
    net,
    tax,
    total,
    taxRateBp: version.taxRateBp,
    pricesIncludeTax: version.pricesIncludeTax,
  };
}
