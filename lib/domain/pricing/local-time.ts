/**
 * Where a site's local clock crosses given times of day, as UTC instants, across DST changes. The
 * pricing engine cuts a session at these instants so that each piece lies in one time-of-use band.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The zone's offset from UTC at an instant, in ms (Chicago in winter: -6 h). */
export function utcOffsetMs(timeZone: string, at: number): number {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) parts[part.type] = part.value;
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return local - Math.floor(at / 1000) * 1000;
}

/** 'YYYY-MM-DDTHH:MM' of an instant on a zone's wall clock (what a datetime-local input holds). */
export function wallClockOf(at: Date, timeZone: string): string {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

const dayMs = 86_400_000;

/** A calendar day ('YYYY-MM-DD') `days` later (or earlier, when negative). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** The instant a calendar day ('YYYY-MM-DD') begins in a zone, DST aware. */
export function startOfLocalDay(day: string, timeZone: string): number {
  return instantOfLocalTime(Date.parse(`${day}T00:00:00Z`), timeZone);
}

/**
 * The instant a wall-clock time in a zone names; `local` is the wall time written as if it were
 * UTC (Date.UTC(y, m, d, h, mi)). A time the clocks skip (spring forward) is read with the offset
 * before the change, so it lands where the wall clock continues (02:30 becomes 03:30); a time that
 * happens twice (fall back) is the first of the two.
 */
export function instantOfLocalTime(local: number, timeZone: string): number {
  const before = local - utcOffsetMs(timeZone, local - dayMs);
  const after = local - utcOffsetMs(timeZone, local + dayMs);
  const names = (at: number) => at + utcOffsetMs(timeZone, at) === local;
  if (names(before) && names(after)) return Math.min(before, after);
  if (names(after)) return after;
  return before;
}
const minuteMs = 60_000;

/**
 * Instants in (from, to) where the local time of day is one of `edges` (minutes after midnight;
 * midnight is always included) or where the zone's offset changes. Sorted, without duplicates.
 */
export function localEdgesBetween(
  timeZone: string,
  from: number,
  to: number,
  edges: readonly number[],
): number[] {
  const marks = [...new Set([0, ...edges.map((e) => e % 1440)])].sort((a, b) => a - b);
  const cuts: number[] = [];
  let t = from;
  while (t < to) {
    const offset = utcOffsetMs(timeZone, t);
    const localOfDay = (((t + offset) % dayMs) + dayMs) % dayMs;
    const next = marks.find((m) => m * minuteMs > localOfDay) ?? 1440 + marks[0]!;
    let candidate = t + (next * minuteMs - localOfDay);
    if (utcOffsetMs(timeZone, candidate) !== offset) {
      // The offset changes before the candidate: the change itself is an edge (find it to the ms).
      let low = t;
      let high = candidate;
      while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (utcOffsetMs(timeZone, mid) === offset) low = mid;
        else high = mid;
      }
      candidate = high;
    }
    if (candidate >= to) break;
    cuts.push(candidate);
    t = candidate;
  }
  return cuts;
}
