import { z } from 'zod';
import { blankToUndefined } from './fields';

/** Whether the runtime knows an IANA time zone name. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

const optionalNumber = z.preprocess(blankToUndefined, z.coerce.number().optional());
const numberBetween = (message: string, min: number, max: number, rangeMessage: string) =>
  z.preprocess(blankToUndefined, z.coerce.number(message).min(min, rangeMessage).max(max, rangeMessage));

export const siteInput = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(120, 'At most 120 characters'),
  address: z.string().trim().max(300, 'At most 300 characters').default(''),
  latitude: numberBetween('Enter a latitude', -90, 90, 'Latitude is between -90 and 90'),
  longitude: numberBetween('Enter a longitude', -180, 180, 'Longitude is between -180 and 180'),
  timezone: z.string().refine(isValidTimeZone, 'Choose a time zone such as America/Chicago'),
  /** kW in the form; stored in W. */
  gridCapacityKw: optionalNumber.pipe(
    z.number().positive('Capacity must be above 0 kW').max(1_000_000, 'At most 1,000,000 kW').optional(),
  ),
});
export type SiteInput = z.input<typeof siteInput>;

export const updateSiteInput = siteInput.extend({ id: z.uuid() });
