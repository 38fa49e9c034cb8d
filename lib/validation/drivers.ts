import { z } from 'zod';
import { blankToUndefined, optionalField, text } from './fields';
import type { AccessMode, IdTokenKind } from '@/lib/db/schema/drivers';
import { parseTimeWindow, type TimeWindow } from '@/lib/domain/access/authorization';

// The vocabularies are repeated here (checked against the schema's types) so that forms in the
// browser can import this file without pulling in drizzle.
const tokenKinds = ['rfid', 'app', 'key_fob'] as const satisfies readonly IdTokenKind[];
const modes = ['public', 'restricted'] as const satisfies readonly AccessMode[];

/** Names of token kinds for people; a Record so that a new kind in the schema fails to compile here. */
export const idTokenKindLabels: Record<IdTokenKind, string> = {
  rfid: 'RFID card',
  app: 'App',
  key_fob: 'Key fob',
};

export const driverInput = z.object({
  name: text(120, 'Enter a name'),
  email: optionalField(
    z
      .string()
      .trim()
      .max(254, 'At most 254 characters')
      .pipe(z.email('Enter a valid email address'))
      .transform((v) => v.toLowerCase()),
  ),
  phone: optionalField(text(40)),
  company: optionalField(text(120)),
});
export type DriverInput = z.input<typeof driverInput>;

/** 2.0.1 IdTokenEnumType (the `type` of an IdTokenType), as stored in id_tokens.ocpp_type. */
export const ocppIdTokenTypes = [
  'Central',
  'eMAID',
  'ISO14443',
  'ISO15693',
  'KeyCode',
  'Local',
  'MacAddress',
] as const;
export type OcppIdTokenType = (typeof ocppIdTokenTypes)[number];

/** Printable ASCII (0x21-0x7E): what card readers and apps send, without spaces. */
const printableWithoutSpaces = /^[\x21-\x7E]+$/;

export const tokenInput = z.object({
  /**
   * The value as the charger sends it. 2.0.1 IdTokenType.idToken allows 36 characters; a 1.6
   * idTag (CiString20Type) only 20, so a longer value can only be used at 2.0.1 stations.
   */
  idToken: z
    .string()
    .trim()
    .min(1, 'Enter the token value, e.g. the card UID')
    .max(36, 'At most 36 characters (OCPP 1.6 chargers accept only 20)')
    .regex(printableWithoutSpaces, 'Use letters, digits and symbols only, without spaces'),
  kind: optionalField(z.enum(tokenKinds, 'Choose RFID card, app or key fob')).transform((v) => v ?? 'rfid'),
  ocppType: optionalField(z.enum(ocppIdTokenTypes, 'Choose an OCPP token type')).transform(
    (v) => v ?? 'ISO14443',
  ),
  /** The driver who holds it; none while the card is in a drawer. */
  driverId: optionalField(z.uuid('Choose a driver')),
  /** An instant with its offset (a bare local time would depend on the server's zone); a Date is taken as is. */
  expiresAt: z.preprocess(
    (v: string | Date | null | undefined) =>
      v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : blankToUndefined(v),
    z
      .union(
        // With or without seconds: a datetime-local field gives minutes only.
        [z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 })],
        'Enter a date and time with its offset, e.g. 2026-12-31T23:59:00Z',
      )
      .transform((v) => new Date(v))
      .optional(),
  ),
  /** 1.6 parentIdTag (CiString20Type). */
  parentIdTag: optionalField(text(20)),
  label: optionalField(text(120)),
});
export type TokenInput = z.input<typeof tokenInput>;

export const blockInput = z.object({
  reason: text(200, 'Say why, e.g. “card lost”'),
});
export type BlockInput = z.input<typeof blockInput>;

export const unblockInput = z.object({
  reason: text(200, 'Say why it may charge again, e.g. “card found”'),
});

export const groupInput = z.object({
  name: text(80, 'Enter a name'),
  description: optionalField(text(300)),
});
export type GroupInput = z.input<typeof groupInput>;

/** A weekly window as the policy form sends it, checked by the domain's own parser. */
export const timeWindowInput = z
  .object({ days: z.array(z.number()), start: z.string(), end: z.string() })
  .transform((value, ctx): TimeWindow => {
    const window = parseTimeWindow(value);
    if (window) return window;
    ctx.addIssue({
      code: 'custom',
      message:
        'Each time window needs at least one day, and start and end as HH:MM (end may be 24:00), not equal',
    });
    return z.NEVER;
  });

export const grantInput = z.object({
  groupId: z.uuid('Choose a group'),
  /** Empty: at any time. */
  windows: z.array(timeWindowInput).max(20, 'At most 20 time windows per group').default([]),
  /** Power cap in W for load management; blank or null: none. */
  maxPowerW: z
    .preprocess(
      (v: number | string | null | undefined) => blankToUndefined(v),
      z.coerce
        .number('Enter the power cap in W')
        .int('Enter the power cap in whole watts')
        .positive('The power cap must be above 0 W')
        .max(1_000_000, 'At most 1,000,000 W')
        .optional(),
    )
    .transform((v) => v ?? null),
});

export const grantsInput = z.array(grantInput).max(100, 'At most 100 groups');

export const policyInput = z
  .object({
    mode: z.enum(modes, 'Choose public or restricted'),
    grants: grantsInput.default([]),
  })
  .refine((v) => v.mode === 'restricted' || v.grants.length === 0, {
    path: ['grants'],
    message: 'A public policy lets every valid token charge: remove the groups, or choose restricted',
  })
  .refine((v) => new Set(v.grants.map((g) => g.groupId)).size === v.grants.length, {
    path: ['grants'],
    message: 'List each group once',
  });
export type PolicyInput = z.input<typeof policyInput>;
