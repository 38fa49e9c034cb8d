import type { PerPhase } from '@/lib/domain/load/types';

/** Numbers, limits and times of the Load pages: amperes per phase, kilowatts, and the site's clock. */

const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** "16 A" or "9.5 A"; "—" when unknown. */
export function formatAmps(amps: number | null): string {
  return amps === null ? '—' : `${oneDecimal.format(amps)} A`;
}

/** "22 kW" from watts (one decimal); "—" when unknown. */
export function formatKw(watts: number | null): string {
  return watts === null ? '—' : `${oneDecimal.format(watts / 1000)} kW`;
}

/**
 * Currents per phase for people: "16 A per phase" when the phases carry the same, "L1 16 · L2 0 · L3 0 A"
 * when they differ (single-phase chargers on different lines). Only the phases the node carries.
 */
export function formatPerPhase(amps: PerPhase | null, phases: number): string {
  if (amps === null) return '—';
  const carried = phases === 1 ? [amps[0]] : [...amps];
  const rounded = carried.map((a) => Math.round(a * 10) / 10);
  if (rounded.every((a) => a === rounded[0])) return `${formatAmps(rounded[0] ?? 0)} per phase`;
  return `${rounded.map((a, i) => `L${i + 1} ${oneDecimal.format(a)}`).join(' · ')} A`;
}

/** The highest of the carried phases, for bars and charts. */
export function highestPhase(amps: PerPhase | null, phases: number): number | null {
  if (amps === null) return null;
  return phases === 1 ? amps[0] : Math.max(...amps);
}

/** A limit as configured: "32 A per phase", "60 kW", "No limit". */
export function formatLimit(unit: 'A' | 'W' | null, value: number | null): string {
  if (unit === null || value === null) return 'No limit';
  return unit === 'A' ? `${oneDecimal.format(value)} A per phase` : formatKw(value);
}

/** Load priorities of driver groups and sessions, 1 (low) to 5 (high). */
export const priorityLabels: Record<number, string> = {
  1: 'Low',
  2: 'Below normal',
  3: 'Normal',
  4: 'Above normal',
  5: 'High',
};

export const nodeKindLabels: Record<string, string> = {
  site: 'Grid connection',
  feeder: 'Feeder',
  panel: 'Panel',
  circuit: 'Circuit',
};

/** "2:05 PM" in the site's zone. */
export function formatClock(iso: string | number, timeZone: string, seconds = false): string {
  return new Intl.DateTimeFormat('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    timeZone,
  }).format(new Date(iso));
}

/** "Mar 4, 2:05 PM MST" in the site's zone. */
export function formatWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** "14:00" (24 h) in the site's zone, as schedules are written. */
export function formatHourMinute(at: number, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(at));
  return text;
}

/** The short name of the zone now ("MST", "CEST"). */
export function zoneName(timeZone: string, at: string | number): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(
    new Date(at),
  );
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}
