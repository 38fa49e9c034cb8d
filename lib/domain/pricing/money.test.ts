import { describe, expect, it } from 'vitest';
import {
  addMoney,
  amountFor,
  divideRounded,
  formatMoney,
  formatRate,
  minorDigits,
  MixedCurrencyError,
  money,
  parseDecimal,
  rateToString,
  sumMoney,
  taxIncludedIn,
  toMajorString,
} from './money';

describe('money', () => {
  it.each([
    [5n, 2n, 3],
    [-5n, 2n, -3],
    [4n, 3n, 1],
    [5n, 3n, 2],
    [-4n, 3n, -1],
    [0n, 7n, 0],
  ])('divideRounded(%s, %s) = %s (half away from zero)', (n, d, expected) => {
    expect(divideRounded(n, d)).toBe(expected);
  });

  it('knows each currency minor unit', () => {
    expect([minorDigits('USD'), minorDigits('JPY'), minorDigits('KWD'), minorDigits('eur')]).toEqual([
      2, 0, 3, 2,
    ]);
  });

  it('prices a quantity at a rate exactly, without float drift', () => {
    // 0.1 + 0.2 style drift would make 1005 Wh at $0.50 = 50.25 c round the wrong way.
    expect(amountFor(1005, 5000, 1000, 'USD')).toBe(50);
    expect(amountFor(1010, 5000, 1000, 'USD')).toBe(51);
    expect(amountFor(123_456_789, 9999, 1000, 'USD')).toBe(12_344_444);
  });

  it('refuses to add amounts of different currencies', () => {
    expect(() => addMoney(money(1, 'USD'), money(1, 'EUR'))).toThrow(MixedCurrencyError);
    expect(() => sumMoney('USD', [money(1, 'USD'), money(2, 'EUR')])).toThrow(MixedCurrencyError);
    expect(sumMoney('usd', [money(1, 'USD'), money(2, 'USD')])).toEqual({ amount: 3, currency: 'USD' });
  });

  it('refuses amounts that are not whole minor units', () => {
    expect(() => money(1.5, 'USD')).toThrow(RangeError);
  });

  it('splits tax out of a gross amount', () => {
    expect(taxIncludedIn(1190, 1900)).toBe(190);
  });

  it('formats and parses amounts and rates', () => {
    expect(toMajorString(-1234, 'USD')).toBe('-12.34');
    expect(toMajorString(120, 'JPY')).toBe('120');
    expect(formatMoney(1234, 'USD')).toBe('$12.34');
    expect(rateToString(3650, 'USD')).toBe('0.365');
    expect(rateToString(4000, 'USD')).toBe('0.40');
    expect(formatRate(3650, 'USD')).toBe('$0.365');
    expect(parseDecimal('0.365', 4)).toBe(3650);
    expect(parseDecimal('12', 2)).toBe(1200);
    expect(parseDecimal('1,50', 2)).toBeNull();
    expect(parseDecimal('0.001', 2)).toBeNull();
  });
});
