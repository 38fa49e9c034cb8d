import { z } from 'zod';
import { blankToUndefined } from './fields';
import { triggerableMessages } from '@/lib/commands/types';
import { parseVariableKey } from '@/lib/domain/configuration/keys';

/**
 * What an operator may ask of a charger, as the forms send it (strings) and the service takes it.
 * Version-specific limits (1.6 id tags of 20 characters) are checked where the version is known.
 */

const int = (message: string, min: number, max: number) =>
  z.coerce
    .number(message)
    .int(message)
    .min(min, `${message} (${min} to ${max})`)
    .max(max, `${message} (${min} to ${max})`);
const optionalInt = (message: string, min: number, max: number) =>
  z.preprocess(blankToUndefined, int(message, min, max).optional());

const idToken = z
  .string()
  .trim()
  .min(1, 'Enter an id token')
  .max(36, 'At most 36 characters')
  .regex(/^[\x21-\x7e]+$/, 'Letters, digits and symbols, no spaces');

const key = z
  .string()
  .trim()
  .min(1, 'Enter a key')
  .refine(
    (k) => parseVariableKey(k) !== null,
    'Not a configuration key (e.g. HeartbeatInterval or OCPPCommCtrlr.HeartbeatInterval)',
  );

const keyList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(/[\s,]+/)
      .map((k) => k.trim())
      .filter(Boolean),
  )
  .pipe(z.array(key).max(100, 'At most 100 keys at once'));

const location = z
  .string()
  .trim()
  .min(1, 'Enter the firmware URL')
  .max(512, 'At most 512 characters')
  .refine(
    (v) => URL.canParse(v) && /^(https?|ftps?):$/.test(new URL(v).protocol),
    'An http(s):// or ftp(s):// URL',
  );

export const commandInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('remote-start'), evseId: optionalInt('Choose an EVSE', 1, 100), idToken }),
  z.object({ kind: z.literal('remote-stop'), sessionId: z.uuid('Choose a session') }),
  z.object({ kind: z.literal('reset'), mode: z.enum(['soft', 'hard'], 'Choose soft or hard') }),
  z.object({
    kind: z.literal('unlock'),
    evseId: int('Choose an EVSE', 1, 100),
    connectorId: z.preprocess(blankToUndefined, int('Choose a connector', 1, 10).default(1)),
  }),
  z.object({
    kind: z.literal('change-availability'),
    /** 0 = the whole station. */
    evseId: z.preprocess(blankToUndefined, int('Choose the station or an EVSE', 0, 100).default(0)),
    availability: z.enum(['operative', 'inoperative'], 'Choose operative or inoperative'),
  }),
  z.object({ kind: z.literal('get-configuration'), keys: keyList }),
  z.object({
    kind: z.literal('change-configuration'),
    key,
    value: z.string().trim().max(500, 'At most 500 characters'),
  }),
  z.object({ kind: z.literal('get-base-report'), report: z.enum(['full', 'configuration']).default('full') }),
  z.object({
    kind: z.literal('trigger-message'),
    message: z.enum(triggerableMessages, 'Choose a message'),
    evseId: optionalInt('Choose an EVSE', 1, 100),
  }),
  z.object({ kind: z.literal('clear-cache') }),
  z.object({
    kind: z.literal('data-transfer'),
    vendorId: z.string().trim().min(1, 'Enter the vendor id').max(255, 'At most 255 characters'),
    messageId: z.preprocess(blankToUndefined, z.string().trim().max(50, 'At most 50 characters').optional()),
    data: z.preprocess(blankToUndefined, z.string().max(10_000, 'At most 10,000 characters').optional()),
  }),
  z.object({
    kind: z.literal('update-firmware'),
    location,
    /** ISO time; empty = now. */
    retrieveAt: z.preprocess(
      blankToUndefined,
      z.iso.datetime({ offset: true, message: 'Choose a time' }).optional(),
    ),
    retries: optionalInt('Retries', 0, 10),
    retryIntervalSeconds: optionalInt('Seconds between retries', 0, 86_400),
  }),
  z.object({
    kind: z.literal('upload-diagnostics'),
    /** Only the last N hours of logs; empty = all the station has. */
    hours: optionalInt('Hours', 1, 24 * 90),
  }),
  z.object({
    kind: z.literal('reserve'),
    /** 0 = any EVSE. */
    evseId: z.preprocess(blankToUndefined, int('Choose an EVSE', 0, 100).default(0)),
    idToken,
    minutes: int('Minutes', 1, 24 * 60),
  }),
  z.object({ kind: z.literal('cancel-reservation'), reservationId: z.uuid('Choose a reservation') }),
]);

export type CommandInput = z.infer<typeof commandInput>;

/** Commands that may end a driver's charging or take a charger out of service: the UI asks first. */
export function isDisruptive(input: Pick<CommandInput, 'kind'> & Record<string, unknown>): boolean {
  return (
    input.kind === 'reset' ||
    input.kind === 'remote-stop' ||
    (input.kind === 'change-availability' && input.availability === 'inoperative') ||
    input.kind === 'update-firmware'
  );
}

/** The commands the stations list can send to many stations at once. */
export const bulkCommandInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reset'), mode: z.enum(['soft', 'hard'], 'Choose soft or hard') }),
  z.object({
    kind: z.literal('change-availability'),
    evseId: z.literal(0).default(0),
    availability: z.enum(['operative', 'inoperative'], 'Choose operative or inoperative'),
  }),
  z.object({ kind: z.literal('trigger-message'), message: z.enum(triggerableMessages, 'Choose a message') }),
  z.object({ kind: z.literal('clear-cache') }),
]);
