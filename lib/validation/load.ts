import { z } from 'zod';
import { parseTimeWindow } from '@/lib/domain/access/authorization';
import type { LimitValue, ScheduledLimit } from '@/lib/domain/load/types';
import { optionalField, text } from './fields';

const uuid = z.uuid({ message: 'Not a valid id' });

/**
 * Load management forms. Limits are typed with an explicit unit: amperes per phase, or kilowatts
 * over all phases (stored as watts). Field names are the ones the editors post.
 */

export const limitUnits = ['A', 'kW'] as const;

const number = (message: string, min: number, max: number) =>
  z.coerce
    .number({ message })
    .refine((v) => Number.isFinite(v) && v >= min && v <= max, `${message} (${min} to ${max})`);

/** A limit as typed: amperes per phase up to 5000 A, or kW up to 50 MW. */
function limitOf(unit: 'A' | 'kW', value: number): LimitValue {
  return unit === 'A' ? { unit: 'A', value } : { unit: 'W', value: Math.round(value * 1000) };
}

const limitValueField = optionalField(number('Enter the limit as a number', 0, 50_000));

/** The weekly schedule editor posts a JSON array of { days, start, end, unit, value, label? }. */
function parseSchedule(json: string, ctx: z.RefinementCtx): ScheduledLimit[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = null;
  }
  if (!Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', path: ['schedule'], message: 'The schedule could not be read' });
    return [];
  }
  if (raw.length > 12)
    ctx.addIssue({ code: 'custom', path: ['schedule'], message: 'At most 12 scheduled limits' });
  const entries: ScheduledLimit[] = [];
  raw.forEach((item: unknown, index) => {
    const window = parseTimeWindow(item);
    const { unit, value, label } = (item ?? {}) as { unit?: unknown; value?: unknown; label?: unknown };
    // Blank is missing, not 0 A.
    const amount = value === null || value === undefined || String(value).trim() === '' ? NaN : Number(value);
    const name = typeof label === 'string' ? label.trim() : '';
    if (!window) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedule'],
        message: `Scheduled limit ${index + 1}: choose at least one day and a start and end time that differ`,
      });
      return;
    }
    if ((unit !== 'A' && unit !== 'kW') || !Number.isFinite(amount) || amount < 0 || amount > 50_000) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedule'],
        message: `Scheduled limit ${index + 1}: enter a limit in A or kW`,
      });
      return;
    }
    if (name.length > 40) {
      ctx.addIssue({
        code: 'custom',
        path: ['schedule'],
        message: `Scheduled limit ${index + 1}: a name of at most 40 characters`,
      });
      return;
    }
    entries.push({ ...window, ...(name ? { label: name } : {}), limit: limitOf(unit, amount) });
  });
  return entries;
}

/** A node of the site's electrical tree: the grid connection, or a feeder, panel or circuit. */
export const loadNodeInput = z
  .object({
    siteId: uuid,
    /** Absent = a new node. */
    id: optionalField(uuid),
    /** Absent for a new node = under the grid connection. */
    parentId: optionalField(uuid),
    kind: z.enum(['site', 'feeder', 'panel', 'circuit'], { message: 'Choose what this node is' }),
    name: text(60, 'Name the node'),
    voltage: number('Enter the line-to-neutral voltage', 100, 400),
    phases: z.coerce.number().refine((v) => v === 1 || v === 3, 'One or three phases'),
    limitUnit: z.enum(limitUnits, { message: 'Choose A per phase or kW' }),
    limitValue: limitValueField,
    safetyMarginPercent: optionalField(number('Enter the margin in percent', 0, 50)).transform((v) => v ?? 0),
    schedule: optionalField(z.string()).transform((v) => v ?? '[]'),
  })
  .transform((input, ctx) => ({
    ...input,
    phases: input.phases as 1 | 3,
    limit: input.limitValue === undefined ? null : limitOf(input.limitUnit, input.limitValue),
    schedule: parseSchedule(input.schedule, ctx),
  }));
export type LoadNodeInput = z.input<typeof loadNodeInput>;
export type ParsedLoadNode = z.output<typeof loadNodeInput>;

/** The site-wide switches: on/off, building load and its fallback. */
export const siteLoadSettingsInput = z
  .object({
    siteId: uuid,
    enabled: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
    nonEvSource: z.enum(['none', 'api', 'meter'], { message: 'Choose where the building load comes from' }),
    nonEvStationId: optionalField(uuid),
    nonEvStaleSeconds: optionalField(number('Enter seconds', 30, 86_400)).transform((v) => v ?? 300),
    fallbackUnit: z.enum(limitUnits).default('kW'),
    fallbackValue: limitValueField,
  })
  .superRefine((input, ctx) => {
    if (input.nonEvSource === 'meter' && !input.nonEvStationId)
      ctx.addIssue({
        code: 'custom',
        path: ['nonEvStationId'],
        message: 'Choose the station whose meter measures the building',
      });
    if (input.nonEvSource !== 'none' && input.fallbackValue === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['fallbackValue'],
        message: 'Set the limit chargers get while the building reading is missing or stale',
      });
  })
  .transform((input) => ({
    ...input,
    fallback: input.fallbackValue === undefined ? null : limitOf(input.fallbackUnit, input.fallbackValue),
  }));
export type SiteLoadSettingsInput = z.input<typeof siteLoadSettingsInput>;

/** A building management system's reading: watts, or amperes per phase. */
export const buildingLoadInput = z
  .object({
    watts: z.number().min(0).max(100_000_000).optional(),
    amps: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]).optional(),
    /** When it was measured (ISO); default now. */
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((v) => v.watts !== undefined || v.amps !== undefined, 'Send watts or amps (per phase)');
export type BuildingLoadInput = z.input<typeof buildingLoadInput>;

/** Where a station hangs in the tree, and an operator's cap on the whole station. */
export const stationLoadInput = z.object({
  stationId: uuid,
  /** Absent = straight under the grid connection. */
  nodeId: optionalField(uuid),
  pinnedMaxA: optionalField(number('Enter amperes per phase', 0, 1000)),
});
export type StationLoadInput = z.input<typeof stationLoadInput>;

/** What an EVSE may draw and how it is wired. */
export const evseLoadInput = z
  .object({
    stationId: uuid,
    evseId: z.coerce.number().int().min(1),
    minCurrentA: number('Enter the minimum in A', 0, 100),
    maxCurrentA: optionalField(number('Enter the maximum in A', 1, 1000)),
    phases: z.coerce.number().refine((v) => v === 1 || v === 3, 'One or three phases'),
    line: optionalField(z.coerce.number().int().min(0).max(2)).transform((v) => v ?? 0),
  })
  .superRefine((input, ctx) => {
    if (input.maxCurrentA !== undefined && input.maxCurrentA < input.minCurrentA)
      ctx.addIssue({
        code: 'custom',
        path: ['maxCurrentA'],
        message: 'The maximum cannot be below the minimum',
      });
  });
export type EvseLoadInput = z.input<typeof evseLoadInput>;

/** An operator's decision about one running session. */
export const sessionOverrideInput = z
  .object({
    transactionId: uuid,
    action: z.enum(['pause', 'cap', 'release']),
    capA: optionalField(number('Enter amperes per phase', 0, 1000)),
  })
  .superRefine((input, ctx) => {
    if (input.action === 'cap' && input.capA === undefined)
      ctx.addIssue({ code: 'custom', path: ['capA'], message: 'Enter the cap in A per phase' });
  });
export type SessionOverrideInput = z.input<typeof sessionOverrideInput>;

/** A driver group's load priority. */
export const groupPriorityInput = z.object({
  groupId: uuid,
  loadPriority: z.coerce.number().int().min(1, 'From 1 (low) to 5 (high)').max(5, 'From 1 (low) to 5 (high)'),
});
export type GroupPriorityInput = z.input<typeof groupPriorityInput>;
