import { pricesAt, type CostLine } from './engine';
import { formatMoney, formatRate, minorDigits } from './money';
import type { TariffVersion } from './tariff';

/**
 * The price as a driver reads it on a charger's screen or an app before starting (NEVI
 * 680.116(a): a $/kWh price first, every other fee spelled out): "$0.45/kWh, $0.10/min idle after
 * 10 min, $1.00 per session, incl. 8.25 % tax". Prices are shown as the tariff states them, with
 * the tax basis said.
 */
export function priceText(version: TariffVersion, timeZone: string, at: Date): string {
  const prices = pricesAt(version, timeZone, at);
  const c = version.currency;
  const parts: string[] = [];
  if (prices.energyPerKwh !== null) parts.push(`${formatRate(prices.energyPerKwh, c)}/kWh`);
  if (prices.timePerMinute !== null) parts.push(`${formatRate(prices.timePerMinute, c)}/min charging`);
  if (prices.idlePerMinute !== null)
    parts.push(
      `${formatRate(prices.idlePerMinute, c)}/min idle${version.idleGraceMinutes > 0 ? ` after ${version.idleGraceMinutes} min` : ''}`,
    );
  if (version.sessionFee > 0) parts.push(`${formatMoney(version.sessionFee, c)} per session`);
  if (version.minPrice !== null && version.minPrice > 0)
    parts.push(`min ${formatMoney(version.minPrice, c)}`);
  if (version.maxPrice !== null) parts.push(`max ${formatMoney(version.maxPrice, c)}`);
  if (parts.length === 0) parts.push('Free');
  const rate = version.taxRateBp / 100;
  const tax =
    version.taxRateBp === 0
      ? ''
      : version.pricesIncludeTax
        ? `, incl. ${rate} % tax`
        : `, plus ${rate} % tax`;
  const band = prices.band ? ` (${prices.band})` : '';
  return `${parts.join(', ')}${tax}${band}`;
}

/**
 * A rate or an amount of the tariff with tax included, in its own units, for displays that show
 * what the driver pays (California pricing).
 */
export function grossOf(
  value: number,
  version: Pick<TariffVersion, 'taxRateBp' | 'pricesIncludeTax'>,
): number {
  if (version.pricesIncludeTax) return value;
  return Math.round((value * (10_000 + version.taxRateBp)) / 10_000);
}

/** Minor units as a number in major units, as OCPP's decimal cost fields carry it (totalCost 12.34). */
export function toDecimal(amount: number, currency: string): number {
  return amount / 10 ** minorDigits(currency);
}

const kwh = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** "12.345 kWh" from integer Wh, always three decimals (as meters and bills show energy). */
export function formatKwh(wh: number): string {
  return `${kwh.format(wh / 1000)} kWh`;
}

/** "35 min", "35.5 min", "35.08 min": seconds as minutes, without rounding away what was billed. */
export function formatBilledMinutes(seconds: number): string {
  return `${Number((seconds / 60).toFixed(2))} min`;
}

/** "20 %", "8.25 %" from basis points, exactly. */
export function formatPercent(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = String(Math.abs(basisPoints % 100))
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} %`;
}

const lineWords: Record<CostLine['kind'], string> = {
  energy: 'Energy',
  time: 'Charging time',
  idle: 'Idle time',
  session: 'Session fee',
  minimum: 'Minimum price adjustment',
  maximum: 'Maximum price adjustment',
};

/**
 * A cost line in words, the same on the session page, the CDR, the tariff preview and the invoice:
 * "Energy (Peak)", "12.345 kWh", "€0.35 / kWh". Adjustment lines have no quantity or unit price.
 */
export function describeCostLine(
  line: CostLine,
  currency: string,
): { description: string; quantity: string; unitPrice: string | null } {
  const description = line.band ? `${lineWords[line.kind]} (${line.band})` : lineWords[line.kind];
  switch (line.kind) {
    case 'energy':
      return {
        description,
        quantity: formatKwh(line.quantity),
        unitPrice: line.rate === null ? null : `${formatRate(line.rate, currency)} / kWh`,
      };
    case 'time':
    case 'idle':
      return {
        description,
        quantity: formatBilledMinutes(line.quantity),
        unitPrice: line.rate === null ? null : `${formatRate(line.rate, currency)} / min`,
      };
    case 'session':
      return { description, quantity: '1', unitPrice: formatMoney(line.amount, currency) };
    case 'minimum':
    case 'maximum':
      return { description, quantity: '', unitPrice: null };
  }
}

/** How ChargeOps prints a document number: `CDR-000012`, `INV-000042`, `CN-000003`. */
export function documentNumber(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}
