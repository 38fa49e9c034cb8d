import { z } from 'zod';
import { blankToUndefined, text } from './fields';
import type { StockLocationKind } from '@/lib/db/schema/parts';

// The vocabulary is repeated here (checked against the schema's type) so that forms in the
// browser can import this file without pulling in drizzle.
const locationKinds = ['warehouse', 'van'] as const satisfies readonly StockLocationKind[];

/** Names of location kinds for people; a Record so that a new kind in the schema fails to compile here. */
export const stockLocationKindLabels: Record<StockLocationKind, string> = {
  warehouse: 'Warehouse',
  van: 'Van',
};

/** The most units one receipt, transfer or count may name; beyond it is a typing mistake. */
export const maxQuantity = 1_000_000;

const optionalText = (max: number) =>
  z.preprocess((v: string | null | undefined) => blankToUndefined(v), text(max).optional());

/** A whole number of units from a form field, with messages that say what to type. */
const units = (what: string, min: number) =>
  z.preprocess(
    (v: string | number) => blankToUndefined(v),
    z.coerce
      .number(`Enter ${what}`)
      .int(`Enter ${what} in whole units`)
      .min(min, min === 0 ? 'Enter 0 or more' : `Enter at least ${min}`)
      .max(maxQuantity, `At most ${maxQuantity.toLocaleString('en-US')}`),
  );

/** "ABB Terra 184, Wallbox Commander 2": trimmed, blanks and repeats (any case) dropped; none: fits any. */
const modelList = z
  .preprocess(
    (v: string | string[] | null | undefined) => (typeof v === 'string' ? v.split(',') : (v ?? undefined)),
    z
      .array(z.string().trim().max(80, 'Each model at most 80 characters'))
      .transform((names) => {
        const seen = new Set<string>();
        return names.filter((name) => {
          const key = name.toLowerCase();
          if (!name || seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      })
      .pipe(z.array(z.string()).max(50, 'At most 50 models'))
      .optional(),
  )
  .transform((v) => v ?? []);

/** Stored as integer minor units (cents): at most 21,474,836.47 fits an int4. */
const maxUnitCost = 21_474_836.47;

export const partInput = z.object({
  sku: z
    .string()
    .trim()
    .min(1, 'Enter the SKU, e.g. ABB-CT-32A')
    .max(60, 'At most 60 characters')
    .regex(/^[\x21-\x7E]+$/, 'Use letters, digits and symbols only, without spaces'),
  name: text(120, 'Enter a name'),
  description: text(1000).default(''),
  compatibleModels: modelList,
  /** Cost of one unit as typed (129.50), kept in minor units (12950); blank: not known. */
  unitCostMinor: z.preprocess(
    (v: string | number | null | undefined) => blankToUndefined(v),
    z.coerce
      .number('Enter the unit cost as a number, e.g. 129.50')
      .min(0, 'The unit cost cannot be negative')
      .max(maxUnitCost, 'At most 21,474,836.47')
      // Cents, not fractions of them: 12.345 is a typing mistake, not a price.
      .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'At most 2 decimals, e.g. 129.50')
      .transform((v) => Math.round(v * 100))
      .optional(),
  ),
  currency: z
    .preprocess(
      (v: string | null | undefined) => blankToUndefined(v),
      z
        .string()
        .trim()
        .regex(/^[A-Za-z]{3}$/, 'Enter a 3-letter currency code, e.g. USD')
        .transform((v) => v.toUpperCase())
        .optional(),
    )
    .transform((v) => v ?? 'USD'),
});
export type PartInput = z.input<typeof partInput>;

export const stockLocationInput = z
  .object({
    kind: z.enum(locationKinds, 'Choose warehouse or van'),
    /** A warehouse's name; a van may leave it blank to be called "Van – <technician>". */
    name: optionalText(120),
    /** The technician whose van it is. */
    technicianId: z.preprocess(
      (v: string | null | undefined) => blankToUndefined(v),
      z.uuid('Choose a technician').optional(),
    ),
  })
  .superRefine((value, ctx) => {
    if (value.kind === 'warehouse' && !value.name)
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'Enter a name, e.g. Main warehouse' });
    if (value.kind === 'van' && !value.technicianId)
      ctx.addIssue({
        code: 'custom',
        path: ['technicianId'],
        message: 'Choose the technician who drives it',
      });
  });
export type StockLocationInput = z.input<typeof stockLocationInput>;

const partId = z.uuid('Choose a part');
const locationId = z.uuid('Choose a location');

export const receiveInput = z.object({
  partId,
  locationId,
  quantity: units('the quantity received', 1),
  note: optionalText(500),
});
export type ReceiveInput = z.input<typeof receiveInput>;

export const transferInput = z
  .object({
    partId,
    fromLocationId: z.uuid('Choose where the parts come from'),
    toLocationId: z.uuid('Choose where the parts go'),
    quantity: units('the quantity to move', 1),
    note: optionalText(500),
  })
  .refine((v) => v.fromLocationId !== v.toLocationId, {
    path: ['toLocationId'],
    message: 'Choose another location than the one the parts come from',
  });
export type TransferInput = z.input<typeof transferInput>;

export const adjustInput = z.object({
  partId,
  locationId,
  countedQuantity: units('the quantity counted', 0),
  note: text(500, 'Say why, e.g. “quarterly count”, “two found damaged”'),
});
export type AdjustInput = z.input<typeof adjustInput>;

export const minimumInput = z.object({
  partId,
  locationId,
  minimum: units('the minimum', 0),
});
export type MinimumInput = z.input<typeof minimumInput>;
