/**
 * The local authorisation list a station should hold (OCPP 1.6 §3.5.3 / 2.0.1 D01): the tokens it
 * may accept while it cannot ask ChargeOps, decided by the same rules as an online authorisation.
 * Pure: the clock and the site's time zone are parameters.
 *
 * What goes on a station's list:
 * - every token the station would accept now (Accepted), with its expiry and parent tag;
 * - every blocked or expired token that would otherwise be accepted there (Blocked / Expired), so a
 *   charger that cached it as Accepted refuses it (list entries win over the cache, 1.6 §3.5.3);
 * - nothing else: a token refused by the rules (another group, outside its time window) is left
 *   off, so an online charger asks, and an offline one treats it as unknown.
 * Grants with time windows put their groups' tokens on the list only while a window is open; the
 * plan says when that changes (`reviewAt`), so the list is updated at the window's edges.
 */

import {
  decideAuthorization,
  groupTagOf,
  type AccessPolicy,
  type TimeWindow,
  type TokenFacts,
} from './authorization';

/** The statuses a list entry carries (both versions have them). */
export type LocalListStatus = 'Accepted' | 'Blocked' | 'Expired';

/** One entry of a station's local list, version-neutral. */
export interface LocalListEntry {
  /** As stored in ChargeOps (chargers compare case-insensitively). */
  idToken: string;
  /** 2.0.1 IdTokenEnumType (ISO14443, Central ...); 1.6 ignores it. */
  type: string;
  status: LocalListStatus;
  /** ISO time after which the token is no longer valid; null = no end. */
  expiresAt: string | null;
  /** 1.6 parentIdTag / 2.0.1 groupIdToken. */
  parentIdTag: string | null;
}

/** A token ChargeOps knows, with the groups of its driver. */
export interface ListCandidate {
  token: TokenFacts & { ocppType: string; parentIdTag: string | null };
  driverGroupIds: readonly string[];
}

export interface LocalListPlanInput {
  candidates: readonly ListCandidate[];
  stationPolicy: AccessPolicy | null;
  sitePolicy: AccessPolicy | null;
  timeZone: string;
  now: Date;
  /** The longest id token the station's OCPP version carries (1.6: 20, 2.0.1: 36). */
  maxIdTokenLength: number;
  /** How many entries the station holds at most; null = unknown (no limit applied). */
  capacity: number | null;
}

/** A token that belongs on the list but cannot go on it, and why (shown to operators). */
export interface LeftOut {
  idToken: string;
  reason: string;
}

export interface LocalListPlan {
  /** Sorted by id token, case-insensitively. */
  entries: LocalListEntry[];
  leftOut: LeftOut[];
  /** When the list changes by itself (a window opens or closes, a listed token expires); null = not by time. */
  reviewAt: Date | null;
}

/** Decides the list a station should hold now. */
export function planLocalList(input: LocalListPlanInput): LocalListPlan {
  const { now, maxIdTokenLength } = input;
  const entries: LocalListEntry[] = [];
  const leftOut: LeftOut[] = [];
  // A group tag known as a token (a fleet's master card) blocks or expires its group offline too.
  const byValue = new Map(input.candidates.map((c) => [c.token.idToken.toUpperCase(), c.token]));
  const parentOf = (token: ListCandidate['token']) => {
    const tag = groupTagOf(token);
    return tag === null ? null : (byValue.get(tag) ?? null);
  };
  const decide = (token: TokenFacts, driverGroupIds: readonly string[], parent: TokenFacts | null) =>
    decideAuthorization({
      token,
      parent,
      driverGroupIds,
      stationPolicy: input.stationPolicy,
      sitePolicy: input.sitePolicy,
      timeZone: input.timeZone,
      now,
    });

  for (const { token, driverGroupIds } of input.candidates) {
    const groupTag = parentOf(token);
    const decision = decide(token, driverGroupIds, groupTag);
    let status: LocalListStatus;
    if (decision.status === 'Accepted') status = 'Accepted';
    else if (decision.status === 'Blocked' || decision.status === 'Expired') {
      // Listed as refused only where it would be accepted if it were valid: elsewhere it is
      // refused by the rules anyway, and need not take a place in the charger's memory.
      const ifValid = decide({ ...token, status: 'active', expiresAt: null }, driverGroupIds, null);
      if (ifValid.status !== 'Accepted') continue;
      status = decision.status;
    } else continue;

    if (token.idToken.length > maxIdTokenLength) {
      leftOut.push({
        idToken: token.idToken,
        reason: `Longer than the ${maxIdTokenLength} characters this station's OCPP version carries`,
      });
      continue;
    }
    const parent =
      token.parentIdTag && token.parentIdTag.length <= maxIdTokenLength ? token.parentIdTag : null;
    // The charger stops accepting it offline when it or its group tag expires, whichever is first.
    const expiries = [token.expiresAt, groupTag?.expiresAt ?? null].flatMap((d) => (d ? [d.getTime()] : []));
    entries.push({
      idToken: token.idToken,
      type: token.ocppType,
      status,
      expiresAt: expiries.length > 0 ? new Date(Math.min(...expiries)).toISOString() : null,
      parentIdTag: parent,
    });
  }

  entries.sort((a, b) => compareTokens(a.idToken, b.idToken));
  const fitted = fitCapacity(entries, input.capacity);
  return {
    entries: fitted.entries,
    leftOut: [...leftOut, ...fitted.leftOut],
    reviewAt: reviewTime(input, fitted.entries),
  };
}

/**
 * Keeps a list within what the station holds: refused entries go first (expired, then blocked),
 * as an unknown token is refused offline too where the charger is set up so; then accepted ones
 * beyond the capacity, which are reported.
 */
function fitCapacity(
  entries: LocalListEntry[],
  capacity: number | null,
): { entries: LocalListEntry[]; leftOut: LeftOut[] } {
  if (capacity === null || entries.length <= capacity) return { entries, leftOut: [] };
  const rank: Record<LocalListStatus, number> = { Accepted: 0, Blocked: 1, Expired: 2 };
  const byImportance = [...entries].sort(
    (a, b) => rank[a.status] - rank[b.status] || compareTokens(a.idToken, b.idToken),
  );
  const kept = new Set(byImportance.slice(0, Math.max(0, capacity)));
  const leftOut = byImportance
    .slice(Math.max(0, capacity))
    .filter((e) => e.status === 'Accepted')
    .map((e) => ({ idToken: e.idToken, reason: `The station holds at most ${capacity} entries` }));
  return { entries: entries.filter((e) => kept.has(e)), leftOut };
}

/** The first moment after now at which the plan could differ: a listed token expires, or a window edge. */
function reviewTime(input: LocalListPlanInput, entries: readonly LocalListEntry[]): Date | null {
  let next: number | null = null;
  const consider = (at: number) => {
    if (at > input.now.getTime() && (next === null || at < next)) next = at;
  };
  for (const entry of entries)
    if (entry.status === 'Accepted' && entry.expiresAt) consider(Date.parse(entry.expiresAt));
  const policy = input.stationPolicy ?? input.sitePolicy;
  if (policy?.mode === 'restricted') {
    for (const grant of policy.grants)
      for (const window of grant.windows) {
        const edge = nextWindowEdge(window, input.timeZone, input.now);
        if (edge) consider(edge.getTime());
      }
  }
  return next === null ? null : new Date(next);
}

// --- changes --------------------------------------------------------------------------------

/** A change to a list: an entry to add or replace, or an id token (of a type) to remove. */
export type LocalListChange = { set: LocalListEntry } | { remove: string; type: string };

/** What turns the list a station holds into the wanted one: entries that differ, and removals. */
export function diffLocalList(
  held: readonly LocalListEntry[],
  wanted: readonly LocalListEntry[],
): LocalListChange[] {
  const heldByKey = new Map(held.map((e) => [keyOf(e.idToken), e]));
  const wantedKeys = new Set(wanted.map((e) => keyOf(e.idToken)));
  const changes: LocalListChange[] = [];
  for (const entry of wanted) {
    const current = heldByKey.get(keyOf(entry.idToken));
    if (!current || !sameEntry(current, entry)) changes.push({ set: entry });
  }
  for (const entry of held)
    if (!wantedKeys.has(keyOf(entry.idToken))) changes.push({ remove: entry.idToken, type: entry.type });
  return changes;
}

/** Limits of one SendLocalList message; null = not known. */
export interface MessageLimits {
  maxItems: number | null;
  maxBytes: number | null;
}

/**
 * Splits an update into messages a station takes (1.6 SendLocalListMaxLength, 2.0.1
 * LocalAuthListCtrlr.ItemsPerMessage / BytesPerMessage). A full list that needs several messages
 * is sent as a Full update with the first part and Differential updates with the rest (2.0.1 D01).
 * `sizeOf` is the size of one item in the version's JSON; `overhead` that of the message around it.
 * An empty Full update is one message: it clears the list.
 */
export function splitUpdate(
  updateType: 'Full' | 'Differential',
  changes: readonly LocalListChange[],
  limits: MessageLimits,
  sizeOf: (change: LocalListChange) => number,
  overhead = 200,
): { updateType: 'Full' | 'Differential'; changes: LocalListChange[] }[] {
  const maxItems = limits.maxItems !== null && limits.maxItems > 0 ? limits.maxItems : Infinity;
  const maxBytes = limits.maxBytes !== null && limits.maxBytes > overhead ? limits.maxBytes : Infinity;
  const parts: LocalListChange[][] = [];
  let part: LocalListChange[] = [];
  let bytes = overhead;
  for (const change of changes) {
    const size = sizeOf(change) + 1;
    if (part.length > 0 && (part.length >= maxItems || bytes + size > maxBytes)) {
      parts.push(part);
      part = [];
      bytes = overhead;
    }
    part.push(change);
    bytes += size;
  }
  if (part.length > 0 || (parts.length === 0 && updateType === 'Full')) parts.push(part);
  return parts.map((changes, i) => ({ updateType: i === 0 ? updateType : 'Differential', changes }));
}

function sameEntry(a: LocalListEntry, b: LocalListEntry): boolean {
  return (
    a.status === b.status &&
    a.type === b.type &&
    a.expiresAt === b.expiresAt &&
    (a.parentIdTag ?? null) === (b.parentIdTag ?? null) &&
    a.idToken === b.idToken
  );
}

/** Chargers compare id tokens case-insensitively (1.6 CiString, 2.0.1 "case insensitive"). */
function keyOf(idToken: string): string {
  return idToken.toUpperCase();
}

function compareTokens(a: string, b: string): number {
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

// --- window edges ---------------------------------------------------------------------------

/**
 * The first instant after `now` at which a weekly window opens or closes, in the zone's wall-clock
 * time (so a window follows the local clock across DST changes). A window edge that falls in a
 * spring-forward gap takes effect when the clock jumps past it. Null for a window with no days.
 */
export function nextWindowEdge(window: TimeWindow, timeZone: string, now: Date): Date | null {
  if (window.days.length === 0) return null;
  const today = localDate(timeZone, now);
  const start = minutesOf(window.start);
  const end = window.end === '24:00' ? 24 * 60 : minutesOf(window.end);
  const endsNextDay = end <= start;
  let best: number | null = null;
  // A week and a day ahead covers every weekday; a day back covers a window that began yesterday.
  for (let offset = -1; offset <= 8; offset++) {
    const day = addDays(today, offset);
    if (!window.days.includes(day.weekday)) continue;
    const edges = [
      instantOf(timeZone, day, start),
      endsNextDay ? instantOf(timeZone, addDays(day, 1), end) : instantOf(timeZone, day, end),
    ];
    for (const edge of edges) if (edge > now.getTime() && (best === null || edge < best)) best = edge;
  }
  return best === null ? null : new Date(best);
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function wallClockParts(timeZone: string, at: number): { local: number; weekday: number } {
  let format = partsFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormatters.set(timeZone, format);
  }
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of format.formatToParts(new Date(at))) p[part.type] = Number(part.value);
  const local = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return { local, weekday: new Date(local).getUTCDay() };
}

function localDate(timeZone: string, at: Date): LocalDay {
  const { local } = wallClockParts(timeZone, at.getTime());
  const d = new Date(local);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

function addDays(day: LocalDay, days: number): LocalDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

/**
 * The UTC instant at which the zone's clock shows `minutes` past midnight of `day`. Two rounds of
 * offset correction find it; a wall time that does not exist (a spring-forward gap) resolves to
 * the moment the clock jumps past it, which is when a window edge there takes effect.
 */
function instantOf(timeZone: string, day: LocalDay, minutes: number): number {
  const wanted = Date.UTC(day.year, day.month - 1, day.day, 0, minutes);
  const offsetAt = (t: number) => wallClockParts(timeZone, t).local - t;
  let guess = wanted - offsetAt(wanted);
  guess = wanted - offsetAt(guess);
  if (wallClockParts(timeZone, guess).local === wanted) return guess;
  // In a gap: the clock skips from before `wanted` to after it. The jump lies between the two
  // readings of the offset; find the first minute whose wall time is at or past `wanted`.
  let low = Math.min(wanted - offsetAt(wanted - 86_400_000), wanted - offsetAt(wanted + 86_400_000));
  let high = Math.max(wanted - offsetAt(wanted - 86_400_000), wanted - offsetAt(wanted + 86_400_000));
  while (high - low > 60_000) {
    const mid = Math.floor((low + high) / 2 / 60_000) * 60_000;
    if (mid <= low || mid >= high) break;
    if (wallClockParts(timeZone, mid).local >= wanted) high = mid;
    else low = mid;
  }
  return high;
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
