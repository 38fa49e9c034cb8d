import { z } from 'zod';

const uuid = z.uuid();

/** Whether a string from a URL or a form is a UUID (record ids); anything else cannot name a row. */
export function isUuid(value: string): boolean {
  return uuid.safeParse(value).success;
}
