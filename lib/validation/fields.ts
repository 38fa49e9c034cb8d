import { z } from 'zod';

/** Building blocks of the form schemas: form fields arrive as strings, and blank means "not given". */

/** A blank (or null) field is undefined, never '' or 0; anything else passes as it is. */
export const blankToUndefined = (v: unknown) =>
  v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v;

/** An optional form field: blank (or null) is undefined, anything else must pass `schema`. */
export function optionalField<T extends z.ZodType>(schema: T) {
  return z.preprocess((v: unknown) => blankToUndefined(v), schema.optional());
}

/** Trimmed text of at most `max` characters; required (with that message) when `required` is given. */
export const text = (max: number, required?: string) => {
  const trimmed = z.string().trim();
  return (required ? trimmed.min(1, required) : trimmed).max(max, `At most ${max} characters`);
};
