import type { AnsweredOutcome, LoadCommand, ReportedSchedule } from '@/lib/commands/types';
import { outcomeOfStatus } from './command-adapter';

/** One line for the command log: the limit a station reported now and how many changes follow. */
export function describeSchedule(schedule: ReportedSchedule): string {
  const [first] = schedule.periods;
  if (!first) return 'No limit';
  const rest = schedule.periods.length - 1;
  const phases = first.numberPhases
    ? ` on ${first.numberPhases} phase${first.numberPhases === 1 ? '' : 's'}`
    : '';
  return `Limit ${first.limit} ${schedule.rateUnit}${phases}${rest > 0 ? `, ${rest} later change${rest === 1 ? '' : 's'}` : ''}`;
}

/** A schedule period as both versions carry it. */
interface WirePeriod {
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}

/** A composite schedule from a version's answer, in neutral terms. */
export function reportedSchedule(
  evseId: number,
  startsAt: string | null,
  raw: { chargingRateUnit: string; chargingSchedulePeriod: WirePeriod[] },
): ReportedSchedule {
  return {
    evseId,
    startsAt,
    rateUnit: raw.chargingRateUnit,
    periods: raw.chargingSchedulePeriod.map((p) => ({
      startSeconds: p.startPeriod,
      limit: p.limit,
      numberPhases: p.numberPhases ?? null,
    })),
  };
}

/**
 * The outcome of a smart charging answer, the same in both versions but for where the composite
 * schedule sits in GetCompositeSchedule's answer (`scheduleOf`).
 */
export function readSmartChargingOutcome(
  command: LoadCommand,
  result: Record<string, unknown>,
  scheduleOf: (result: Record<string, unknown>) => ReportedSchedule | null,
): AnsweredOutcome {
  switch (command.kind) {
    case 'set-charging-profile':
      return outcomeOfStatus(result, ['Accepted']);
    case 'clear-charging-profile':
      // Unknown: the station held no such profile, which is what clearing wanted.
      return outcomeOfStatus(result, ['Accepted', 'Unknown']);
    case 'get-composite-schedule': {
      const outcome = outcomeOfStatus(result, ['Accepted']);
      const schedule = outcome.status === 'accepted' ? scheduleOf(result) : null;
      return schedule ? { ...outcome, detail: describeSchedule(schedule), schedule } : outcome;
    }
  }
}
