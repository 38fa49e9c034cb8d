import type { ReportedSchedule } from '@/lib/commands/types';

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
