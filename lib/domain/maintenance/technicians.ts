/**
 * How a technician's certifications and working week read on the technicians page. Pure: the
 * clock is a parameter.
 */

const dayMs = 86_400_000;
/** A certification this close to its expiry is flagged, so it can be renewed in time. */
export const expiryWarningDays = 30;

export type CertificationStanding =
  | { state: 'permanent' }
  | { state: 'valid'; daysLeft: number }
  | { state: 'expiring'; daysLeft: number }
  | { state: 'expired' };

/**
 * Where a certification stands. It expires on a calendar date stored as midnight UTC and, as in
 * dispatch, is expired from that instant on; daysLeft rounds up, so the day before reads "1 day".
 */
export function certificationStanding(expiresOn: Date | null, now: Date): CertificationStanding {
  if (expiresOn === null) return { state: 'permanent' };
  const left = expiresOn.getTime() - now.getTime();
  if (left <= 0) return { state: 'expired' };
  const daysLeft = Math.ceil(left / dayMs);
  return daysLeft < expiryWarningDays ? { state: 'expiring', daysLeft } : { state: 'valid', daysLeft };
}

const isoDayNames = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** ISO weekday (1 = Monday) to its short English name. */
export function isoDayName(day: number): string {
  return isoDayNames[day - 1] ?? `Day ${day}`;
}

/**
 * ISO weekdays as text, runs of three or more days joined: [1,2,3,4,5] "Mon–Fri",
 * [1,2,4,6] "Mon, Tue, Thu, Sat", [6,7] "Sat, Sun"; none "Every day" (no working days set means
 * always available to dispatch).
 */
export function describeWorkDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length === 7) return 'Every day';
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${isoDayName(sorted[i]!)}–${isoDayName(sorted[j]!)}`);
    else for (let k = i; k <= j; k++) parts.push(isoDayName(sorted[k]!));
    i = j + 1;
  }
  return parts.join(', ');
}
