import { z } from 'zod';
import { blankToUndefined } from './fields';
import { nameList } from './maintenance';
import { isValidTimeZone } from './sites';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:MM, e.g. 08:00');
/** An end of day may be 24:00 (midnight at the end of the day). */
const endOfShift = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Enter a time as HH:MM, e.g. 17:00 (24:00 for midnight)');

const optionalCoordinate = (min: number, max: number, what: string) =>
  z.preprocess(
    (v: unknown) => blankToUndefined(v),
    z.coerce
      .number(`Enter the ${what} in decimal degrees`)
      .min(min, `The ${what} lies between ${min} and ${max}`)
      .max(max, `The ${what} lies between ${min} and ${max}`)
      .optional(),
  );

export const technicianProfileInput = z
  .object({
    phone: z.preprocess((v: unknown) => blankToUndefined(v), z.string().trim().max(40).optional()),
    skills: nameList,
    homeBase: z.string().trim().max(200, 'At most 200 characters').default(''),
    homeLatitude: optionalCoordinate(-90, 90, 'latitude'),
    homeLongitude: optionalCoordinate(-180, 180, 'longitude'),
    /** Checkbox group workDays[] of ISO weekdays. */
    workDays: z.preprocess(
      (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.coerce.number().int().min(1).max(7)),
    ),
    workStart: hhmm,
    /** Before the start: a night shift across midnight; equal to it: round the clock. */
    workEnd: endOfShift,
    timezone: z.string().trim().refine(isValidTimeZone, 'Choose a time zone such as America/Chicago'),
  })
  .superRefine((value, ctx) => {
    if ((value.homeLatitude === undefined) !== (value.homeLongitude === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [value.homeLatitude === undefined ? 'homeLatitude' : 'homeLongitude'],
        message: 'Give both latitude and longitude, or neither',
      });
    if (value.workStart === value.workEnd)
      ctx.addIssue({
        code: 'custom',
        path: ['workEnd'],
        message: 'The day must end at another time than it starts',
      });
  });
export type TechnicianProfileInput = z.input<typeof technicianProfileInput>;

export const certificationInput = z.object({
  name: z.string().trim().min(1, 'Name the certification, e.g. EVITP').max(60, 'At most 60 characters'),
  reference: z.preprocess((v: unknown) => blankToUndefined(v), z.string().trim().max(80).optional()),
  expiresOn: z.preprocess(
    (v: unknown) => blankToUndefined(v),
    z.iso.date('Enter the expiry date').optional(),
  ),
});
export type CertificationInput = z.input<typeof certificationInput>;

export const locationInput = z.object({
  latitude: z.coerce.number().min(-90).max(90),
  longitude: z.coerce.number().min(-180).max(180),
});
