import type { CostLine } from '@/lib/domain/pricing/engine';
import { describeCostLine, formatPercent } from '@/lib/domain/pricing/display';
import { formatMoney, formatRate } from '@/lib/domain/pricing/money';
import type { TariffVersion, UnitPrices } from '@/lib/domain/pricing/tariff';

/** "20 % incl.", "+8.25 % tax", "No tax". */
export function describeTax(v: Pick<TariffVersion, 'taxRateBp' | 'pricesIncludeTax'>): string {
  if (v.taxRateBp === 0) return 'No tax';
  return v.pricesIncludeTax ? `${formatPercent(v.taxRateBp)} incl.` : `+${formatPercent(v.taxRateBp)} tax`;
}

/** "$0.45/kWh", "$0.05/min". */
export function formatUnitRate(rate: number, currency: string, unit: 'kWh' | 'min'): string {
  return `${formatRate(rate, currency)}/${unit}`;
}

/** "3 time-of-use bands". */
export function bandCount(n: number): string {
  return n === 1 ? '1 time-of-use band' : `${n} time-of-use bands`;
}

/** A version's prices in a few short phrases: "$0.45/kWh", "idle $0.10/min after 15 min", "min $2.00", "+20 % tax". */
export function headlinePrices(v: TariffVersion): string[] {
  const c = v.currency;
  const parts: string[] = [];
  if (v.base.energyPerKwh !== null) parts.push(formatUnitRate(v.base.energyPerKwh, c, 'kWh'));
  if (v.base.timePerMinute !== null) parts.push(`${formatUnitRate(v.base.timePerMinute, c, 'min')} charging`);
  if (v.base.idlePerMinute !== null)
    parts.push(
      v.idleGraceMinutes > 0
        ? `idle ${formatUnitRate(v.base.idlePerMinute, c, 'min')} after ${v.idleGraceMinutes} min grace`
        : `idle ${formatUnitRate(v.base.idlePerMinute, c, 'min')}`,
    );
  if (v.sessionFee > 0) parts.push(`${formatMoney(v.sessionFee, c)} session fee`);
  if (v.minPrice !== null) parts.push(`min ${formatMoney(v.minPrice, c)}`);
  if (v.maxPrice !== null) parts.push(`max ${formatMoney(v.maxPrice, c)}`);
  parts.push(describeTax(v));
  return parts;
}

/** A band's price for one component: its own, or "base" where the band leaves the base price. */
export function bandPrice(
  prices: UnitPrices,
  key: keyof UnitPrices,
  currency: string,
  unit: 'kWh' | 'min',
): string {
  const rate = prices[key];
  return rate === null ? 'base price' : formatUnitRate(rate, currency, unit);
}

/** One line of a cost breakdown in words: "Energy (Peak) — 12.345 kWh × $0.45 / kWh". */
export function describeCostLineText(line: CostLine, currency: string): string {
  const { description, quantity, unitPrice } = describeCostLine(line, currency);
  return line.rate === null ? description : `${description} — ${quantity} × ${unitPrice}`;
}

/** "+$1.50" / "−$0.20" for adjustment lines; plain amounts otherwise. */
export function formatLineAmount(line: CostLine, currency: string): string {
  if (line.kind === 'minimum') return `+${formatMoney(line.amount, currency)}`;
  if (line.kind === 'maximum') return `−${formatMoney(Math.abs(line.amount), currency)}`;
  return formatMoney(line.amount, currency);
}
