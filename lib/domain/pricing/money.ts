/**
 * Money, written once: amounts are integers in the currency's minor unit (cents), rates are integers
 * in ten-thousandths of the major unit (so $0.365/kWh is 3650), and every rounding in ChargeOps goes
 * through `divideRounded` (half away from zero). Adding amounts of two currencies is refused.
 */

/** An amount in minor units of an ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** Rates (per kWh, per minute) are stored in ten-thousandths of the major unit. */
export const RATE_SCALE = 10_000;

export class MixedCurrencyError extends Error {
  constructor(a: string, b: string) {
    super(`cannot combine amounts in ${a} and ${b}`);
    this.name = 'MixedCurrencyError';
  }
}

const digitsCache = new Map<string, number>();

/** Digits after the decimal point of the currency's minor unit (USD 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  const code = currency.toUpperCase();
  const cached = digitsCache.get(code);
  if (cached !== undefined) return cached;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
    .maximumFractionDigits;
  digitsCache.set(code, digits ?? 2);
  return digits ?? 2;
}

/** Whether the code is an ISO 4217 currency this runtime knows. */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return Intl.supportedValuesOf('currency').includes(code);
}

/** numerator / denominator rounded half away from zero, exactly (integers in, integer out). */
export function divideRounded(numerator: bigint, denominator: bigint): number {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  const rounded = (n % d) * 2n >= d ? quotient + 1n : quotient;
  return Number(negative ? -rounded : rounded);
}

/** quantity × rate, where the rate is per `per` units of quantity, in minor units of the currency. */
export function amountFor(quantity: number, rate: number, per: number, currency: string): number {
  const minor = 10n ** BigInt(minorDigits(currency));
  return divideRounded(BigInt(quantity) * BigInt(rate) * minor, BigInt(per) * BigInt(RATE_SCALE));
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not an amount in minor units: ${amount}`);
  return { amount, currency: currency.toUpperCase() };
}

/** Sum of amounts of one currency; mixed currencies throw MixedCurrencyError. */
export function sumMoney(currency: string, amounts: readonly Money[]): Money {
  let total = 0;
  for (const m of amounts) {
    if (m.currency !== currency.toUpperCase()) throw new MixedCurrencyError(currency, m.currency);
    total += m.amount;
  }
  return money(total, currency);
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new MixedCurrencyError(a.currency, b.currency);
  return money(a.amount + b.amount, a.currency);
}

/** `basisPoints` of the amount (2000 = 20 %), rounded. */
export function percentOf(amount: number, basisPoints: number): number {
  return divideRounded(BigInt(amount) * BigInt(basisPoints), 10_000n);
}

/** The tax contained in a gross amount at `basisPoints`: gross × r / (1 + r), rounded. */
export function taxIncludedIn(gross: number, basisPoints: number): number {
  return divideRounded(BigInt(gross) * BigInt(basisPoints), BigInt(10_000 + basisPoints));
}

/** Minor units as a decimal string in major units ("12.34"), no currency sign. */
export function toMajorString(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, '0')}`;
}

/** "$12.34", "€0.45", "¥120" (locale en by default; the UI passes its own). */
export function formatMoney(amount: number, currency: string, locale = 'en-US'): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}

/** A rate in ten-thousandths as a decimal string in major units, trailing zeros trimmed to the currency's digits ("0.365", "0.40"). */
export function rateToString(rate: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = rate < 0 ? '-' : '';
  const abs = Math.abs(rate);
  const whole = Math.floor(abs / RATE_SCALE);
  let fraction = String(abs % RATE_SCALE).padStart(4, '0');
  while (fraction.length > digits && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return fraction.length > 0 ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/** "$0.365" style display of a rate. */
export function formatRate(rate: number, currency: string, locale = 'en-US'): string {
  const text = rateToString(rate, currency);
  const fractionDigits = text.includes('.') ? text.split('.')[1]!.length : 0;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(Number(text));
}

/**
 * Parses a decimal in major units ("0.365", "12", "1,50" is refused) into integer units of `scale`
 * (minor units: 10^digits; rates: RATE_SCALE). Returns null when the text is not such a number or
 * has more decimals than the scale holds.
 */
export function parseDecimal(text: string, scaleDigits: number): number | null {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = match[3] ?? '';
  if (fraction.length > scaleDigits) return null;
  const value = Number(match[2]) * 10 ** scaleDigits + Number(fraction.padEnd(scaleDigits, '0') || '0');
  if (!Number.isSafeInteger(value)) return null;
  return match[1] === '-' ? -value : value;
}

/** An amount typed in major units ("12.50") as minor units of the currency, or null when it has more decimals than the currency or is not a number. */
export function parseAmount(text: string, currency: string): number | null {
  return parseDecimal(text, minorDigits(currency));
}
