import { z } from 'zod';
import { invalid } from '@/lib/errors';

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

/** The first message per top-level field of a zod error, so a form shows each next to its field. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    fields[key] ??= issue.message;
  }
  return fields;
}

/** A service's input parsed by its schema, or a validation error with the message per field. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  raw: unknown,
  message = 'Check the highlighted fields',
): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(message, fieldErrorsOf(parsed.error));
  return parsed.data;
}
