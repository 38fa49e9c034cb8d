/**
 * Who may charge where: the answer to an OCPP Authorize (1.6) / idTokenInfo (2.0.1 C01), from the
 * token's facts, the driver's groups and the station's (or its site's) access policy. Pure: the
 * clock and the site's time zone are parameters.
 */

export type AuthorizationStatus =
  'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'NotAtThisLocation' | 'NotAtThisTime';

/** What we know about an id token (RFID card, app token ...) when it is presented. */
export interface TokenFacts {
  idToken: string;
  status: 'active' | 'blocked' | 'expired';
  expiresAt: Date | null;
  /** Null when the token is not given to a driver. */
  driverId: string | null;
  blockedReason: string | null;
}

/**
 * The group tag (1.6 parentIdTag, 2.0.1 groupIdToken) a token names, upper-cased as chargers compare
 * tokens; null without one, or when it names the token itself (no group). Online decisions and the
 * local lists look the tag up with it, so both find the same master card.
 */
export function groupTagOf(token: { idToken: string; parentIdTag: string | null }): string | null {
  const tag = token.parentIdTag?.toUpperCase();
  return tag && tag !== token.idToken.toUpperCase() ? tag : null;
}

/** What a group tag known as a token contributes to a decision. */
export type ParentTokenFacts = Pick<TokenFacts, 'idToken' | 'status' | 'expiresAt' | 'blockedReason'>;

/** A weekly time window in the site's local time; end <= start means it runs past midnight into the next day (it belongs to the day it starts). days: 0 = Sunday ... 6 = Saturday. start/end 'HH:MM' 24h; end '24:00' allowed. */
export interface TimeWindow {
  days: number[];
  start: string;
  end: string;
}

/** A group's right to charge under a restricted policy. */
export interface GroupGrant {
  groupId: string;
  groupName: string;
  /** Empty = at any time. */
  windows: TimeWindow[];
  /** Per-group power cap in W for load management; null = none. */
  maxPowerW: number | null;
}

/** Who may charge at a station: public (any valid token) or restricted to groups. The station's own policy wins over its site's; none at all = public. */
export type AccessPolicy = { mode: 'public' } | { mode: 'restricted'; grants: GroupGrant[] };

/** Everything one authorisation decision depends on. */
export interface AuthorizationInput {
  /** Null = unknown token. */
  token: TokenFacts | null;
  /**
   * The token's group tag (1.6 parentIdTag, 2.0.1 groupIdToken) when ChargeOps knows it as a token
   * itself, e.g. a fleet's master card: blocking or expiring it refuses every token of the group.
   * Null or absent: no group tag, or one that is only a label.
   */
  parent?: ParentTokenFacts | null;
  /** Groups the token's driver belongs to. */
  driverGroupIds: readonly string[];
  stationPolicy: AccessPolicy | null;
  sitePolicy: AccessPolicy | null;
  /** IANA zone of the site, e.g. 'America/Chicago'. */
  timeZone: string;
  now: Date;
}

/** The answer, with a reason for the authorisation log and the grant that allowed it. */
export interface AuthorizationDecision {
  status: AuthorizationStatus;
  /** One sentence an operator reads in the authorisation log ("why was this token refused?"), e.g. 'Blocked: lost card', 'Expired on 2026-10-01', 'Not in a group allowed at this station (Employees, Fleet A)', 'Employees may charge here Mon–Fri 07:00–19:00', 'Public station', 'Allowed for Employees'. */
  reason: string;
  /** The grant that allowed it (restricted policies), for load management. */
  groupId: string | null;
  maxPowerW: number | null;
}

/**
 * Decides whether a token may charge at a station now. Checks in order: unknown, blocked, expired,
 * then the effective policy (station's, else site's, else public) and, for a restricted one, the
 * driver's groups and their time windows. Throws if timeZone is not a valid IANA zone or now is
 * not a valid date, whatever the token, so a misconfigured site fails loudly rather than only at night.
 */
export function decideAuthorization(input: AuthorizationInput): AuthorizationDecision {
  const { token, timeZone, now } = input;
  assertValidInstant(now, 'now');
  const format = formatterFor(timeZone);

  if (token === null) return refuse('Invalid', 'Unknown id token');

  if (token.status === 'blocked') {
    const why = token.blockedReason?.trim();
    return refuse('Blocked', why ? `Blocked: ${why}` : 'Blocked');
  }
  const parent = input.parent ?? null;
  if (parent?.status === 'blocked') {
    const why = parent.blockedReason?.trim();
    return refuse('Blocked', `Blocked through its group tag ${parent.idToken}${why ? `: ${why}` : ''}`);
  }

  const expiry = expiryOf(token, now);
  if (expiry)
    return refuse(
      'Expired',
      expiry === 'marked' ? 'Expired' : `Expired on ${wallClock(format, expiry).date}`,
    );
  const parentExpiry = parent && expiryOf(parent, now);
  if (parent && parentExpiry)
    return refuse(
      'Expired',
      parentExpiry === 'marked'
        ? `Its group tag ${parent.idToken} has expired`
        : `Its group tag ${parent.idToken} expired on ${wallClock(format, parentExpiry).date}`,
    );

  const policy = input.stationPolicy ?? input.sitePolicy ?? { mode: 'public' };
  if (policy.mode === 'public')
    return { status: 'Accepted', reason: 'Public station', groupId: null, maxPowerW: null };

  // A token nobody holds belongs to no group, whatever the caller passed along.
  const groupIds = new Set(token.driverId === null ? [] : input.driverGroupIds);
  const matching = policy.grants.filter((grant) => groupIds.has(grant.groupId));
  if (matching.length === 0) {
    const names = unique(policy.grants.map((grant) => grant.groupName));
    return refuse(
      'NotAtThisLocation',
      names.length === 0
        ? 'No group is allowed at this station'
        : `Not in a group allowed at this station (${names.join(', ')})`,
    );
  }

  const clock = wallClock(format, now);
  const open = matching.filter(
    (grant) => grant.windows.length === 0 || grant.windows.some((window) => matchesWindow(window, clock)),
  );
  const best = open.reduce<GroupGrant | undefined>(
    (chosen, grant) => (chosen === undefined || morePower(grant, chosen) ? grant : chosen),
    undefined,
  );
  if (best) {
    return {
      status: 'Accepted',
      reason: `Allowed for ${best.groupName}`,
      groupId: best.groupId,
      maxPowerW: best.maxPowerW,
    };
  }

  return refuse(
    'NotAtThisTime',
    matching
      .map((grant) => `${grant.groupName} may charge here ${grant.windows.map(describeWindow).join(' and ')}`)
      .join('; '),
  );
}

/** Whether a token has expired: marked so ('marked'), or its expiry date (returned) has passed. */
function expiryOf(token: Pick<TokenFacts, 'status' | 'expiresAt'>, now: Date): Date | 'marked' | null {
  if (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime()) return token.expiresAt;
  return token.status === 'expired' ? 'marked' : null;
}

/**
 * Whether an instant falls in a weekly window, in the site's wall-clock time (so DST shifts move
 * the window with the local clock). Start is inclusive, end exclusive. Throws on an invalid zone
 * or a malformed time.
 */
export function isInWindow(window: TimeWindow, timeZone: string, at: Date): boolean {
  assertValidInstant(at, 'at');
  return matchesWindow(window, wallClock(formatterFor(timeZone), at));
}

/** A window for people: 'Mon–Fri 07:00–19:00', 'Sat, Sun 22:00–06:00 (next day)', 'Every day 00:00–24:00'. */
export function describeWindow(window: TimeWindow): string {
  const nextDay = window.end !== '24:00' && window.end <= window.start ? ' (next day)' : '';
  return `${describeDays(window.days)} ${window.start}–${window.end}${nextDay}`;
}

/** A TimeWindow from untrusted data (form, JSON column), or null if it is not a valid one. */
export function parseTimeWindow(value: unknown): TimeWindow | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { days, start, end } = value as Record<string, unknown>;
  if (!Array.isArray(days) || days.length === 0) return null;
  if (!days.every((day): day is number => Number.isInteger(day) && day >= 0 && day <= 6)) return null;
  if (new Set(days).size !== days.length) return null;
  if (typeof start !== 'string' || !clockTime.test(start)) return null;
  if (typeof end !== 'string' || (end !== '24:00' && !clockTime.test(end))) return null;
  if (start === end) return null;
  return { days: [...days], start, end };
}

/** Whether a string names a time zone this runtime knows (IANA, e.g. 'Europe/Berlin'). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

// --- wall clock -------------------------------------------------------------------------------

interface WallClock {
  /** 0 = Sunday ... 6 = Saturday. */
  day: number;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
  /** 'YYYY-MM-DD'. */
  date: string;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

// Building a DateTimeFormat is costly and authorisations are frequent; one per zone is plenty.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
  } catch {
    throw new Error(
      `Unknown time zone ${JSON.stringify(timeZone)}: expected an IANA zone such as 'Europe/Berlin'`,
    );
  }
  formatters.set(timeZone, format);
  return format;
}

function wallClock(format: Intl.DateTimeFormat, at: Date): WallClock {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of format.formatToParts(at)) parts[part.type] = part.value;
  const day = weekdays.indexOf(parts.weekday as (typeof weekdays)[number]);
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  if (day < 0 || !Number.isInteger(hour) || !Number.isInteger(minute)) {
    throw new Error(`Could not read the local time of ${at.toISOString()}`);
  }
  return { day, minutes: hour * 60 + minute, date: `${parts.year}-${parts.month}-${parts.day}` };
}

function assertValidInstant(at: Date, name: string): void {
  if (Number.isNaN(at.getTime())) throw new Error(`${name} is not a valid date`);
}

// --- windows ----------------------------------------------------------------------------------

const clockTime = /^([01]\d|2[0-3]):[0-5]\d$/;

function minutesOf(time: string, allowEndOfDay: boolean): number {
  if (allowEndOfDay && time === '24:00') return 24 * 60;
  if (!clockTime.test(time)) throw new Error(`Invalid time ${JSON.stringify(time)} in a time window`);
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function matchesWindow(window: TimeWindow, clock: WallClock): boolean {
  const start = minutesOf(window.start, false);
  const end = minutesOf(window.end, true);
  const today = window.days.includes(clock.day);
  if (start < end) return today && clock.minutes >= start && clock.minutes < end;
  // Across midnight: the evening part belongs to the day it starts, the morning part to the day before.
  const yesterday = window.days.includes((clock.day + 6) % 7);
  return (today && clock.minutes >= start) || (yesterday && clock.minutes < end);
}

// Monday first, as people read a week ('Sat, Sun', not 'Sun, Sat').
const weekOrder: readonly number[] = [1, 2, 3, 4, 5, 6, 0];

function describeDays(days: readonly number[]): string {
  const present = weekOrder.filter((day) => days.includes(day));
  if (present.length === 7) return 'Every day';
  if (present.length === 0) return 'No day';
  // Runs of consecutive days (Mon..Sun, no wrap-around); three or more read better as a range.
  const runs: number[][] = [];
  let previous = -2;
  for (const day of present) {
    const position = weekOrder.indexOf(day);
    const run = runs.at(-1);
    if (run && position === previous + 1) run.push(day);
    else runs.push([day]);
    previous = position;
  }
  return runs
    .flatMap((run) => (run.length >= 3 ? [`${dayName(run[0])}–${dayName(run.at(-1))}`] : run.map(dayName)))
    .join(', ');
}

function dayName(day: number | undefined): string {
  return (day === undefined ? undefined : weekdays[day]) ?? '?';
}

// --- helpers ----------------------------------------------------------------------------------

function refuse(status: Exclude<AuthorizationStatus, 'Accepted'>, reason: string): AuthorizationDecision {
  return { status, reason, groupId: null, maxPowerW: null };
}

/** Whether a grant allows more power than another; no cap counts as the most. */
function morePower(candidate: GroupGrant, than: GroupGrant): boolean {
  if (than.maxPowerW === null) return false;
  return candidate.maxPowerW === null || candidate.maxPowerW > than.maxPowerW;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
