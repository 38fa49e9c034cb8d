import { z } from 'zod';
import { blankToUndefined, text } from './fields';
import { parseRemediationPlan, type RemediationStep } from '@/lib/domain/maintenance/incidents';
import {
  priorityLabels,
  workOrderPriorities,
  workOrderStatuses,
  type WorkOrderPriority,
} from '@/lib/domain/maintenance/work-orders';

const optionalText = (max: number) =>
  z.preprocess((v: unknown) => blankToUndefined(v), text(max).optional()).transform((v) => v ?? '');

/** A checkbox: present ('on', 'true') when ticked, absent otherwise; booleans pass as they are. */
const checkbox = z.preprocess(
  (v: unknown) => (typeof v === 'boolean' ? v : v === 'on' || v === 'true'),
  z.boolean(),
);

const wholeNumber = (min: number, max: number, what: string) =>
  z.coerce
    .number(`Enter ${what}`)
    .int(`Enter ${what} as a whole number`)
    .min(min, `At least ${min}`)
    .max(max, `At most ${max}`);

/** One entry per line (empty lines dropped), or an array as is. */
const lines = (maxItems: number, maxLength: number) =>
  z.preprocess(
    (v: unknown) =>
      typeof v === 'string'
        ? v
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter(Boolean)
        : v,
    z
      .array(z.string().trim().max(maxLength, `Each line at most ${maxLength} characters`))
      .max(maxItems, `At most ${maxItems} lines`),
  );

/** A comma-separated list ("EVITP, High voltage") or an array; duplicates (any case) dropped. */
export const nameList = z.preprocess(
  (v: unknown) => (typeof v === 'string' ? v.split(',') : (v ?? [])),
  z.array(z.string().trim().max(60, 'Each name at most 60 characters')).transform((names) => {
    const seen = new Set<string>();
    return names.filter((name) => {
      const key = name.toLowerCase();
      if (!name || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }),
);

const remediationPlan = z.preprocess(
  (v: unknown) => blankToUndefined(v) ?? '',
  z.string().transform((value, ctx): RemediationStep[] => {
    if (value.trim() === '') return [];
    const parsed = parseRemediationPlan(value);
    if (parsed.ok) return parsed.steps;
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }),
);

export const maintenanceSettingsInput = z
  .object({
    offlineAfterMinutes: wholeNumber(1, 1440, 'the minutes'),
    failedStartsInARow: wholeNumber(2, 20, 'a number of sessions'),
    minSessionWh: wholeNumber(0, 10_000, 'the energy in Wh'),
    remediationEnabled: checkbox,
    remediationPlan,
    autoWorkOrder: checkbox,
    autoAssign: checkbox,
    slaCritical: wholeNumber(1, 720, 'the hours'),
    slaHigh: wholeNumber(1, 720, 'the hours'),
    slaNormal: wholeNumber(1, 2160, 'the hours'),
    slaLow: wholeNumber(1, 8760, 'the hours'),
    checklist: lines(20, 200).pipe(z.array(z.string()).min(1, 'List at least one safety step')),
    defaultCertifications: nameList,
  })
  .superRefine((value, ctx) => {
    if (value.remediationEnabled && value.remediationPlan.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['remediationPlan'],
        message: 'Give the steps to try, e.g. "soft-reset, wait 5, hard-reset, wait 10"',
      });
  });
export type MaintenanceSettingsInput = z.input<typeof maintenanceSettingsInput>;

const priority = z.enum(workOrderPriorities, 'Choose a priority');

/** A work order a manager creates by hand (preventive, or for a problem ChargeOps did not detect). */
export const workOrderInput = z.object({
  stationId: z.uuid('Choose a station'),
  evseId: z.preprocess(
    (v: unknown) => blankToUndefined(v),
    z.coerce.number().int().min(1, 'EVSE numbers start at 1').max(99).optional(),
  ),
  incidentId: z.preprocess((v: unknown) => blankToUndefined(v), z.uuid().optional()),
  kind: z.enum(['corrective', 'preventive'], 'Choose corrective or preventive'),
  priority,
  title: text(160, 'Say what needs doing'),
  description: optionalText(4000),
  requiredCertifications: nameList,
  requiredSkills: nameList,
});
export type WorkOrderInput = z.input<typeof workOrderInput>;

/** A move of a work order to another status, with the reason or note that goes with it. */
export const transitionInput = z.object({
  to: z.enum(workOrderStatuses, 'Unknown status'),
  note: optionalText(2000),
});
export type TransitionInput = z.input<typeof transitionInput>;

export const assignInput = z.object({
  technicianId: z.uuid('Choose a technician'),
});

export const scheduleInput = z.object({
  stationId: z.uuid('Choose a station'),
  title: text(160, 'Say what the visit is for'),
  description: optionalText(4000),
  intervalMonths: wholeNumber(1, 60, 'the months'),
  priority,
  firstDueOn: z.iso.date('Enter the date of the first visit'),
  requiredCertifications: nameList,
  requiredSkills: nameList,
});
export type ScheduleInput = z.input<typeof scheduleInput>;

/** The priorities for a form's select, most urgent first, named as everywhere else. */
export const priorityOptions: { value: WorkOrderPriority; label: string }[] = workOrderPriorities.map(
  (value) => ({
    value,
    label: priorityLabels[value],
  }),
);
