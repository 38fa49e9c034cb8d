import { pricesAt } from './engine';
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
