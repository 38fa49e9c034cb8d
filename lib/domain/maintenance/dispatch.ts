/**
 * Which technician to send: every candidate ranked for a work order, with the reasons a manager
 * reads next to each rank. A suggestion, not a decision: the manager may pick anyone. Pure: the
 * clock is a parameter, time zones come with the working hours.
 */

export interface GeoPoint {
  lat: number;
  lng: number;
}

/** A certification a technician holds; null expiresAt = does not expire. */
export interface Certification {
  name: string;
  expiresAt: Date | null;
}

/**
 * A weekly shift in the technician's local time. end <= start is a shift across midnight: its
 * early-morning part belongs to the day it started (a Friday 22:00–06:00 shift covers Saturday
 * 03:00), and end == start is a 24-hour shift. end '24:00' is allowed.
 */
export interface WorkingHours {
  /** ISO weekdays 1 = Monday ... 7 = Sunday. */
  days: number[];
  /** 'HH:MM', 24 h. */
  start: string;
  /** 'HH:MM', 24 h; may be <= start for a night shift across midnight. */
  end: string;
  /** IANA zone, e.g. 'America/Chicago'. */
  timeZone: string;
}

/** A technician as dispatch sees them. */
export interface DispatchCandidate {
  userId: string;
  name: string;
  certifications: Certification[];
  skills: string[];
  homeBase: GeoPoint | null;
  lastLocation: (GeoPoint & { at: Date }) | null;
  /** Null = always available. */
  workingHours: WorkingHours | null;
  /** Work orders on their plate now (activeStatuses). */
  openOrders: number;
}

/** What the work order asks of a technician, and where it is. */
export interface DispatchOrder {
  requiredCertifications: string[];
  requiredSkills: string[];
  site: GeoPoint | null;
}

/** One candidate's place in the suggestion, with the why. */
export interface RankedCandidate {
  userId: string;
  name: string;
  /** 1-based; unique, so the list reads 1, 2, 3 ... */
  rank: number;
  eligible: boolean;
  availableNow: boolean;
  distanceKm: number | null;
  distanceFrom: 'last-location' | 'home-base' | null;
  openOrders: number;
  /** What disqualifies, e.g. 'EVITP expired on 2026-10-01', 'missing certification: High voltage', 'missing skill: DC fast'. */
  missing: string[];
  /** One short sentence per criterion, shown next to the rank, e.g. 'Holds EVITP (valid until 2027-03-01)', 'Available now (08:00–17:00 America/Chicago)', '12.4 km away (last location 20 min ago)', '2 open work orders'. */
  reasons: string[];
}

export interface DispatchOptions {
  /** A shared location older than this is ignored in favour of the home base; default 240. */
  locationFreshMinutes?: number;
}

const earthRadiusKm = 6371;

/** Great-circle distance (haversine). Road distance is longer, but the order between candidates rarely changes. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  // min() guards against rounding pushing h a hair above 1 for antipodal points.
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Whether an instant falls in a technician's working hours, read on the wall clock of their zone
 * (so a DST change moves the shift with the local clock). Start inclusive, end exclusive; null
 * hours = always available. Throws on an unknown zone or a malformed time.
 */
export function isWithinWorkingHours(hours: WorkingHours | null, now: Date): boolean {
  if (hours === null) return true;
  if (Number.isNaN(now.getTime())) throw new Error('now is not a valid date');
  const start = minutesOf(hours.start, false);
  const end = minutesOf(hours.end, true);
  const clock = wallClock(hours.timeZone, now);
  const today = hours.days.includes(clock.isoDay);
  if (start < end) return today && clock.minutes >= start && clock.minutes < end;
  const yesterday = hours.days.includes(clock.isoDay === 1 ? 7 : clock.isoDay - 1);
  return (today && clock.minutes >= start) || (yesterday && clock.minutes < end);
}

/**
 * Ranks every candidate for a work order: eligible (holds each required certification, unexpired
 * at now, and each required skill; names compared case-insensitively) before ineligible; then
 * available now; then nearest (unknown distance last); then fewer open orders; then by name.
 * Ineligible candidates stay in the list, with what they miss, so a manager can see why.
 */
export function rankTechnicians(
  order: DispatchOrder,
  candidates: readonly DispatchCandidate[],
  now: Date,
  options: DispatchOptions = {},
): RankedCandidate[] {
  if (Number.isNaN(now.getTime())) throw new Error('now is not a valid date');
  const freshMinutes = options.locationFreshMinutes ?? 240;
  const assessed = candidates.map((candidate) => assess(order, candidate, now, freshMinutes));
  // Array.prototype.sort is stable, so candidates equal on every key keep the caller's order.
  assessed.sort(
    (a, b) =>
      Number(b.eligible) - Number(a.eligible) ||
      Number(b.availableNow) - Number(a.availableNow) ||
      compareDistance(a.distanceKm, b.distanceKm) ||
      a.openOrders - b.openOrders ||
      a.name.localeCompare(b.name),
  );
  return assessed.map((ranked, position) => ({ ...ranked, rank: position + 1 }));
}

// --- assessment -------------------------------------------------------------------------------

function assess(
  order: DispatchOrder,
  candidate: DispatchCandidate,
  now: Date,
  freshMinutes: number,
): Omit<RankedCandidate, 'rank'> {
  const missing: string[] = [];
  const reasons: string[] = [];

  for (const required of order.requiredCertifications) {
    const verdict = certificationVerdict(required, candidate.certifications, now);
    reasons.push(verdict.reason);
    if (verdict.missing) missing.push(verdict.missing);
  }

  const skills = new Set(candidate.skills.map(normalise));
  for (const required of order.requiredSkills) {
    if (skills.has(normalise(required))) {
      reasons.push(`Has skill: ${required}`);
    } else {
      missing.push(`missing skill: ${required}`);
      reasons.push(`Missing skill: ${required}`);
    }
  }

  const availability = availabilityOf(candidate.workingHours, now);
  reasons.push(availability.reason);

  const location = locate(order.site, candidate, now, freshMinutes);
  reasons.push(location.reason);

  reasons.push(describeWorkload(candidate.openOrders));

  return {
    userId: candidate.userId,
    name: candidate.name,
    eligible: missing.length === 0,
    availableNow: availability.available,
    distanceKm: location.distanceKm,
    distanceFrom: location.from,
    openOrders: candidate.openOrders,
    missing,
    reasons,
  };
}

function certificationVerdict(
  required: string,
  held: readonly Certification[],
  now: Date,
): { reason: string; missing: string | null } {
  const matching = held.filter((certification) => normalise(certification.name) === normalise(required));
  if (matching.length === 0) {
    return { reason: `Missing certification: ${required}`, missing: `missing certification: ${required}` };
  }
  // A renewed certificate is often stored next to the old one: the longest-lasting copy counts.
  const best = matching.reduce((a, b) => (lastsLonger(b, a) ? b : a));
  if (best.expiresAt === null) return { reason: `Holds ${required} (does not expire)`, missing: null };
  // Expiring exactly now counts as expired, as for id tokens: valid means valid strictly before expiresAt.
  if (best.expiresAt.getTime() <= now.getTime()) {
    const text = `${required} expired on ${calendarDate(best.expiresAt)}`;
    return { reason: text, missing: text };
  }
  return { reason: `Holds ${required} (valid until ${calendarDate(best.expiresAt)})`, missing: null };
}

function lastsLonger(a: Certification, than: Certification): boolean {
  if (than.expiresAt === null) return false;
  return a.expiresAt === null || a.expiresAt.getTime() > than.expiresAt.getTime();
}

function availabilityOf(hours: WorkingHours | null, now: Date): { available: boolean; reason: string } {
  if (hours === null) return { available: true, reason: 'Available now (no set working hours)' };
  let available: boolean;
  try {
    available = isWithinWorkingHours(hours, now);
  } catch (error) {
    // One technician's broken settings must not take the whole suggestion down; show it instead.
    const detail = error instanceof Error ? error.message : String(error);
    return { available: false, reason: `Working hours could not be read: ${detail}` };
  }
  const shift = `${hours.start}–${hours.end} ${hours.timeZone}`;
  return available
    ? { available, reason: `Available now (${shift})` }
    : { available, reason: `Not working now (${describeDays(hours.days)} ${shift})` };
}

function locate(
  site: GeoPoint | null,
  candidate: DispatchCandidate,
  now: Date,
  freshMinutes: number,
): { distanceKm: number | null; from: RankedCandidate['distanceFrom']; reason: string } {
  if (site === null)
    return { distanceKm: null, from: null, reason: 'Distance unknown: the site has no location' };
  const last = candidate.lastLocation;
  // A location stamped in the future (a phone's clock running fast) counts as just now.
  const ageMinutes = last ? Math.max(0, (now.getTime() - last.at.getTime()) / 60_000) : null;
  if (last && ageMinutes !== null && ageMinutes <= freshMinutes) {
    const km = distanceKm(last, site);
    return {
      distanceKm: km,
      from: 'last-location',
      reason: `${formatKm(km)} away (last location ${formatAge(ageMinutes)} ago)`,
    };
  }
  if (candidate.homeBase) {
    const km = distanceKm(candidate.homeBase, site);
    const stale = ageMinutes !== null ? `; last location ${formatAge(ageMinutes)} old` : '';
    return { distanceKm: km, from: 'home-base', reason: `${formatKm(km)} away (home base${stale})` };
  }
  if (ageMinutes !== null) {
    return {
      distanceKm: null,
      from: null,
      reason: `Location unknown (last location ${formatAge(ageMinutes)} old, no home base)`,
    };
  }
  return { distanceKm: null, from: null, reason: 'Location unknown (no shared location or home base)' };
}

function describeWorkload(openOrders: number): string {
  if (openOrders === 0) return 'No open work orders';
  return openOrders === 1 ? '1 open work order' : `${openOrders} open work orders`;
}

function compareDistance(a: number | null, b: number | null): number {
  if (a === null || b === null) return Number(a === null) - Number(b === null);
  return a - b;
}

// --- formatting -------------------------------------------------------------------------------

function normalise(name: string): string {
  return name.trim().toLowerCase();
}

// Certifications expire on a calendar date, stored as midnight UTC: the UTC date is the date on the card.
function calendarDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function formatKm(km: number): string {
  return `${km.toFixed(1)} km`;
}

function formatAge(minutes: number): string {
  const whole = Math.floor(minutes);
  if (whole < 60) return `${whole} min`;
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (hours >= 48) return `${Math.floor(hours / 24)} days`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const isoDayNames = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

function describeDays(days: readonly number[]): string {
  const present = [1, 2, 3, 4, 5, 6, 7].filter((day) => days.includes(day));
  if (present.length === 7) return 'every day';
  if (present.length === 0) return 'no day';
  const runs: number[][] = [];
  for (const day of present) {
    const run = runs.at(-1);
    if (run && run.at(-1) === day - 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .flatMap((run) =>
      run.length >= 3 ? [`${isoDayName(run[0])}–${isoDayName(run.at(-1))}`] : run.map(isoDayName),
    )
    .join(', ');
}

function isoDayName(day: number | undefined): string {
  return (day === undefined ? undefined : isoDayNames[day - 1]) ?? '?';
}

// --- wall clock -------------------------------------------------------------------------------

const clockTime = /^([01]\d|2[0-3]):[0-5]\d$/;

function minutesOf(time: string, allowEndOfDay: boolean): number {
  if (allowEndOfDay && time === '24:00') return 24 * 60;
  if (!clockTime.test(time)) throw new Error(`Invalid time ${JSON.stringify(time)} in working hours`);
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

const isoDayOf: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// Building a DateTimeFormat is costly and a ranking reads one per candidate: one per zone is plenty.
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string, at: Date): { isoDay: number; minutes: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
    } catch {
      throw new Error(
        `Unknown time zone ${JSON.stringify(timeZone)}: expected an IANA zone such as 'America/Chicago'`,
      );
    }
    formatters.set(timeZone, format);
  }
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of format.formatToParts(at)) parts[part.type] = part.value;
  const isoDay = isoDayOf[parts.weekday ?? ''];
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  if (isoDay === undefined || !Number.isInteger(hour) || !Number.isInteger(minute)) {
    throw new Error(`Could not read the local time of ${at.toISOString()}`);
  }
  return { isoDay, minutes: hour * 60 + minute };
}
