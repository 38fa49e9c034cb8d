import { z } from 'zod';
import { parseTimeWindow } from '@/lib/domain/access/authorization';
import { isCurrency, minorDigits, parseAmount, parseDecimal } from '@/lib/domain/pricing/money';
import type { TimeBand } from '@/lib/domain/pricing/tariff';
import { optionalField, text } from './fields';

/**
 * Tariff forms. Prices arrive as decimals in major units ("0.35"); they become rates in
 * ten-thousandths (per kWh / per minute) or amounts in minor units (fees, bounds) here, so the
 * browser's preview and the server read a form the same way.
 */

const decimalText = z.string().trim();

/** A rate per kWh or per minute, up to 4 decimals, 0 to 1000 in major units. */
const rateField = (label: string) =>
  optionalField(
    decimalText.transform((v, ctx) => {
      const rate = parseDecimal(v, 4);
      if (rate === null || rate < 0 || rate > 10_000_000) {
        ctx.addIssue({
          code: 'custom',
          message: `Enter ${label} as a number with at most 4 decimals, e.g. 0.35`,
        });
        return z.NEVER;
      }
      return rate;
    }),
  ).transform((v) => v ?? null);

/** A version's fields; amounts in minor units need the currency, so they are converted in `toVersionInput`. */
export const tariffVersionForm = z.object({
  currency: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .refine(isCurrency, 'Enter an ISO currency code, e.g. USD or EUR'),
  taxRate: optionalField(
    decimalText.transform((v, ctx) => {
      const bp = parseDecimal(v, 2);
      if (bp === null || bp < 0 || bp > 10_000) {
        ctx.addIssue({
          code: 'custom',
          message: 'Enter a tax rate between 0 and 100 % with at most 2 decimals',
        });
        return z.NEVER;
      }
      return bp;
    }),
  ).transform((v) => v ?? 0),
  pricesIncludeTax: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()).default(false),
  energyPrice: rateField('the price per kWh'),
  timePrice: rateField('the price per minute'),
  idlePrice: rateField('the idle price per minute'),
  idleGrace: optionalField(
    z.coerce.number('Enter minutes').int('Whole minutes').min(0).max(1440, 'At most 1440 minutes'),
  ).transform((v) => v ?? 0),
  sessionFee: optionalField(decimalText).transform((v) => v ?? null),
  minPrice: optionalField(decimalText).transform((v) => v ?? null),
  maxPrice: optionalField(decimalText).transform((v) => v ?? null),
  /** ISO instant; blank = now. */
  validFrom: optionalField(
    z.iso.datetime({ offset: true, message: 'Enter a valid date and time' }),
  ).transform((v) => (v ? new Date(v) : null)),
  /** JSON array of bands, built by the editor. */
  bands: optionalField(z.string()).transform((v) => v ?? '[]'),
});

export const tariffForm = tariffVersionForm.extend({
  name: text(80, 'Enter a name'),
  description: optionalField(text(500)).transform((v) => v ?? null),
});

export interface VersionInput {
  currency: string;
  taxRateBp: number;
  pricesIncludeTax: boolean;
  energyPerKwh: number | null;
  timePerMinute: number | null;
  idlePerMinute: number | null;
  idleGraceMinutes: number;
  sessionFee: number;
  minPrice: number | null;
  maxPrice: number | null;
  bands: TimeBand[];
  validFrom: Date | null;
}

type FieldErrors = Record<string, string>;

function amountIn(value: string | null, currency: string, field: string, errors: FieldErrors): number | null {
  if (value === null) return null;
  const amount = parseAmount(value, currency);
  if (amount === null || amount < 0) {
    const digits = minorDigits(currency);
    errors[field] = digits === 0 ? 'Enter a whole amount' : `Enter an amount with at most ${digits} decimals`;
    return null;
  }
  return amount;
}

function parseBands(json: string, errors: FieldErrors): TimeBand[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    errors.bands = 'The time-of-use bands could not be read';
    return [];
  }
  if (!Array.isArray(raw)) {
    errors.bands = 'The time-of-use bands could not be read';
    return [];
  }
  if (raw.length > 12) errors.bands = 'At most 12 time-of-use bands';
  const bands: TimeBand[] = [];
  raw.forEach((item: unknown, index) => {
    const b = (item ?? {}) as Record<string, unknown>;
    const label = typeof b.label === 'string' ? b.label.trim() : '';
    const window = parseTimeWindow({ days: b.days, start: b.start, end: b.end });
    const price = (key: string) => {
      const v = b[key];
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return null;
      const rate = typeof v === 'string' ? parseDecimal(v, 4) : null;
      if (rate === null || rate < 0)
        errors[`bands.${index}.${key}`] = 'Enter a price with at most 4 decimals';
      return rate;
    };
    const prices = {
      energyPerKwh: price('energyPrice'),
      timePerMinute: price('timePrice'),
      idlePerMinute: price('idlePrice'),
    };
    if (!label || label.length > 40) errors[`bands.${index}.label`] = 'Name the band (at most 40 characters)';
    if (!window)
      errors[`bands.${index}.window`] = 'Choose at least one day and a start and end time that differ';
    if (prices.energyPerKwh === null && prices.timePerMinute === null && prices.idlePerMinute === null)
      errors[`bands.${index}.energyPrice`] ??= 'Set at least one price for the band';
    if (window && label) bands.push({ label, window, prices });
  });
  const labels = bands.map((b) => b.label.toLowerCase());
  if (new Set(labels).size !== labels.length) errors.bands = 'Give each band its own name';
  return bands;
}

/**
 * The version a parsed form describes, or field errors (amounts that do not fit the currency,
 * bounds the wrong way round, malformed bands, a tariff that charges nothing).
 */
export function toVersionInput(
  form: z.output<typeof tariffVersionForm>,
): { ok: true; value: VersionInput } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const sessionFee = amountIn(form.sessionFee, form.currency, 'sessionFee', errors) ?? 0;
  const minPrice = amountIn(form.minPrice, form.currency, 'minPrice', errors);
  const maxPrice = amountIn(form.maxPrice, form.currency, 'maxPrice', errors);
  if (minPrice !== null && maxPrice !== null && minPrice > maxPrice)
    errors.maxPrice = 'The maximum must not be below the minimum';
  const bands = parseBands(form.bands, errors);
  const chargesSomething =
    form.energyPrice !== null ||
    form.timePrice !== null ||
    form.idlePrice !== null ||
    sessionFee > 0 ||
    bands.length > 0;
  if (!chargesSomething) errors.energyPrice = 'Set at least one price (a free tariff: enter 0 per kWh)';
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    value: {
      currency: form.currency,
      taxRateBp: form.taxRate,
      pricesIncludeTax: form.pricesIncludeTax,
      energyPerKwh: form.energyPrice,
      timePerMinute: form.timePrice,
      idlePerMinute: form.idlePrice,
      idleGraceMinutes: form.idleGrace,
      sessionFee,
      minPrice,
      maxPrice,
      bands,
      validFrom: form.validFrom,
    },
  };
}

export const assignmentForm = z.object({
  tariffId: z.uuid('Choose a tariff'),
  siteId: optionalField(z.uuid('Choose a site')).transform((v) => v ?? null),
  stationId: optionalField(z.uuid('Choose a station')).transform((v) => v ?? null),
  evseId: optionalField(
    z.coerce.number('Enter an EVSE number').int().min(1, 'EVSE numbers start at 1').max(99),
  ).transform((v) => v ?? null),
  groupId: optionalField(z.uuid('Choose a group')).transform((v) => v ?? null),
});
export type AssignmentInput = z.input<typeof assignmentForm>;
