import { pricesAt, type CostLine } from './engine';
import { formatMoney, formatRate, minorDigits } from './money';
import { describeWindow } from '@/lib/domain/access/authorization';
import type { TariffVersion, TimeBand, UnitPrices } from './tariff';

/**
 * The price as a driver reads it on a charger's screen or an app before starting (NEVI
 * 680.116(a): a $/kWh price first, every other fee spelled out): "$0.45/kWh, $0.10/min idle after
 * 10 min, $1.00 per session, incl. 8.25 % tax". Prices are shown as the tariff states them, with
 * the tax basis said. A tariff with time-of-use bands adds the unit prices of its other periods, so
 * a driver who charges into a dearer band has been shown its price before starting:
 * "…; Peak Mon–Fri 17:00–21:00: $0.60/kWh".
 */
export function priceText(version: TariffVersion, timeZone: string, at: Date): string {
  const prices = pricesAt(version, timeZone, at);
  const others = version.bands
    .filter((band) => band.label !== prices.band)
    .map((band) => bandPeriod(version, band));
  if (prices.band !== null) others.push({ name: 'other times', prices: version.base });
  const band = prices.band ? ` (${prices.band})` : '';
  return [`${headline(version, prices)}${band}`, ...differingPeriods(version, others, prices)].join('; ');
}

/**
 * The price of a tariff whatever the time: what a charger shows to anyone before they identify
 * (1.6 DefaultPrice, 2.0.1 TariffFallbackMessage), kept there until the tariff changes. The base
 * prices and fees first, then each time-of-use band with its window and the prices that differ:
 * "$0.45/kWh, $1.00 per session, plus 8.25 % tax; Peak Mon–Fri 17:00–21:00: $0.60/kWh".
 */
export function standingPriceText(version: TariffVersion): string {
  const bands = version.bands.map((band) => bandPeriod(version, band));
  return [headline(version, version.base), ...differingPeriods(version, bands, version.base)].join('; ');
}

/**
 * A price text cut to a display field's length, at the last whole period (or price) that fits,
 * with an ellipsis saying that something was left out.
 */
export function fitPriceText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const ellipsis = ' …';
  const room = maxLength - ellipsis.length;
  if (room <= 0) return text.slice(0, maxLength);
  for (const separator of ['; ', ', ', ' ']) {
    const cut = text.lastIndexOf(separator, room);
    if (cut > 0) return `${text.slice(0, cut)}${ellipsis}`;
  }
  return `${text.slice(0, room)}${ellipsis}`;
}

/** The unit prices, fees, bounds and tax basis of the prices given ("Free" when nothing is charged). */
function headline(version: TariffVersion, prices: UnitPrices): string {
  const c = version.currency;
  const parts = unitPriceParts(prices, c, version.idleGraceMinutes);
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
  return `${parts.join(', ')}${tax}`;
}

/** The per-unit prices in force, each named with its unit. */
function unitPriceParts(prices: UnitPrices, currency: string, idleGraceMinutes: number): string[] {
  const parts: string[] = [];
  if (prices.energyPerKwh !== null) parts.push(`${formatRate(prices.energyPerKwh, currency)}/kWh`);
  if (prices.timePerMinute !== null) parts.push(`${formatRate(prices.timePerMinute, currency)}/min charging`);
  if (prices.idlePerMinute !== null)
    parts.push(
      `${formatRate(prices.idlePerMinute, currency)}/min idle${idleGraceMinutes > 0 ? ` after ${idleGraceMinutes} min` : ''}`,
    );
  return parts;
}

interface Period {
  name: string;
  prices: UnitPrices;
}

/** A time-of-use band as a named period with its prices (the base price where it sets none). */
function bandPeriod(version: TariffVersion, band: TimeBand): Period {
  return {
    name: `${band.label} ${describeWindow(band.window)}`,
    prices: {
      energyPerKwh: band.prices.energyPerKwh ?? version.base.energyPerKwh,
      timePerMinute: band.prices.timePerMinute ?? version.base.timePerMinute,
      idlePerMinute: band.prices.idlePerMinute ?? version.base.idlePerMinute,
    },
  };
}

/**
 * Each period with the unit prices that differ from `reference` ("Peak Mon–Fri 17:00–21:00:
 * $0.60/kWh", "other times: $0.45/kWh"); periods without a difference are left out.
 */
function differingPeriods(version: TariffVersion, periods: Period[], reference: UnitPrices): string[] {
  const differing = (prices: UnitPrices): UnitPrices => ({
    energyPerKwh: prices.energyPerKwh === reference.energyPerKwh ? null : prices.energyPerKwh,
    timePerMinute: prices.timePerMinute === reference.timePerMinute ? null : prices.timePerMinute,
    idlePerMinute: prices.idlePerMinute === reference.idlePerMinute ? null : prices.idlePerMinute,
  });
  return periods.flatMap(({ name, prices }) => {
    const parts = unitPriceParts(differing(prices), version.currency, version.idleGraceMinutes);
    return parts.length > 0 ? [`${name}: ${parts.join(', ')}`] : [];
  });
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

/** The prices of a California pricing RunningCost message: in the currency's units, tax included. */
export interface CaliforniaPrices {
  chargingPrice: { kWhPrice: number; hourPrice: number; flatFee: number };
  idlePrice?: { graceMinutes: number; hourPrice: number };
}

/**
 * The prices in force at `at` (the time-of-use band's, where one applies) as the OCA California
 * pricing convention states them: per kWh, per hour and a flat fee, tax included.
 */
export function californiaPrices(version: TariffVersion, timeZone: string, at: Date): CaliforniaPrices {
  return californiaPricesOf(version, pricesAt(version, timeZone, at));
}

/**
 * The base prices (outside every time-of-use band) as the California pricing convention states
 * them: what a 1.6 charger's DefaultPrice carries next to the standing price text.
 */
export function standingCaliforniaPrices(version: TariffVersion): CaliforniaPrices {
  return californiaPricesOf(version, version.base);
}

function californiaPricesOf(version: TariffVersion, prices: UnitPrices): CaliforniaPrices {
  // Rates are in 1/10,000 of the currency unit per kWh or per minute.
  const decimal = (rate: number | null, per: number) =>
    rate === null ? 0 : Math.round(grossOf(rate, version) * per) / 10_000;
  return {
    chargingPrice: {
      kWhPrice: decimal(prices.energyPerKwh, 1),
      hourPrice: decimal(prices.timePerMinute, 60),
      flatFee: toDecimal(grossOf(version.sessionFee, version), version.currency),
    },
    ...(prices.idlePerMinute !== null
      ? {
          idlePrice: { graceMinutes: version.idleGraceMinutes, hourPrice: decimal(prices.idlePerMinute, 60) },
        }
      : {}),
  };
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
