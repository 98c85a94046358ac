/*
 * Business time: an organization's working hours per weekday in its time zone, minus its
 * holidays. SLA targets in business hours count only these minutes (a ticket that arrives on
 * Friday evening is due on Monday). Times are walked day by day in the calendar's zone, so
 * daylight-saving changes and half days come out right.
 */

/** `HH:MM` to `HH:MM` in the calendar's time zone; several per day for a lunch break. */
export interface WorkingInterval {
  start: string;
  end: string;
}

export interface BusinessCalendar {
  timeZone: string;
  /** Index 0 is Sunday, as `Date#getDay`; an empty list is a day off. */
  week: WorkingInterval[][];
  /** `YYYY-MM-DD` dates (in the calendar's zone) with no working hours. */
  holidays: string[];
}

/** Monday to Friday, 09:00 to 17:00. */
export const DEFAULT_WEEK: WorkingInterval[][] = [
  [],
  [{ start: "09:00", end: "17:00" }],
  [{ start: "09:00", end: "17:00" }],
  [{ start: "09:00", end: "17:00" }],
  [{ start: "09:00", end: "17:00" }],
  [{ start: "09:00", end: "17:00" }],
  [],
];

const MINUTE = 60_000;
/** Far enough for any target; a calendar with no working time at all never comes due. */
const MAX_DAYS = 3 * 366;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localTime(instant: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const t = localTime(instant, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time in the zone names (the later one in a gap or overlap). */
function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone: string) {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return second;
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Working intervals as instants, day by day from the local day of `from`. */
function* workingIntervals(from: number, calendar: BusinessCalendar) {
  const holidays = new Set(calendar.holidays);
  const start = localTime(from, calendar.timeZone);
  const cursor = new Date(Date.UTC(start.year, start.month - 1, start.day));
  for (let days = 0; days < MAX_DAYS; days++) {
    const year = cursor.getUTCFullYear();
    const month = cursor.getUTCMonth() + 1;
    const day = cursor.getUTCDate();
    if (!holidays.has(isoDate(year, month, day))) {
      for (const interval of calendar.week[cursor.getUTCDay()] ?? []) {
        const open = zonedInstant(year, month, day, minutesOf(interval.start), calendar.timeZone);
        const close = zonedInstant(year, month, day, minutesOf(interval.end), calendar.timeZone);
        if (close > open) yield [open, close] as const;
      }
    }
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
}

/** The instant `minutes` of working time after `start`; null if the calendar never works. */
export function addBusinessMinutes(
  start: Date,
  minutes: number,
  calendar: BusinessCalendar,
): Date | null {
  let left = Math.max(0, minutes) * MINUTE;
  const from = start.getTime();
  for (const [open, close] of workingIntervals(from, calendar)) {
    if (close <= from) continue;
    const begin = Math.max(open, from);
    if (close - begin >= left) return new Date(begin + left);
    left -= close - begin;
  }
  return null;
}

const DAY = 86_400_000;
/** Days between samples when looking for offset changes (zones change at most every few weeks). */
const OFFSET_PROBE_DAYS = 14;

/** A local date as a day number (days since 1970-01-01) and back. */
function dayNumber(instant: number, timeZone: string): number {
  const t = localTime(instant, timeZone);
  return Date.UTC(t.year, t.month - 1, t.day) / DAY;
}

function dateOf(day: number) {
  const date = new Date(day * DAY);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    weekday: date.getUTCDay(),
  };
}

/** A local day's working intervals as instants (none on a holiday). */
function dayIntervals(day: number, calendar: BusinessCalendar, holidays: Set<string>) {
  const d = dateOf(day);
  if (holidays.has(isoDate(d.year, d.month, d.day))) return [];
  const intervals: (readonly [number, number])[] = [];
  for (const interval of calendar.week[d.weekday] ?? []) {
    const open = zonedInstant(d.year, d.month, d.day, minutesOf(interval.start), calendar.timeZone);
    const close = zonedInstant(d.year, d.month, d.day, minutesOf(interval.end), calendar.timeZone);
    if (close > open) intervals.push([open, close] as const);
  }
  return intervals;
}

/** A weekday's working minutes on the wall clock (what a day without an offset change has). */
function nominalMinutes(calendar: BusinessCalendar, weekday: number): number {
  return (calendar.week[weekday] ?? []).reduce(
    (sum, interval) => sum + Math.max(0, minutesOf(interval.end) - minutesOf(interval.start)),
    0,
  );
}

/** The zone's offset at noon of a local day (no zone changes its clocks at noon). */
function noonOffset(day: number, timeZone: string): number {
  const d = dateOf(day);
  return offsetAt(zonedInstant(d.year, d.month, d.day, 12 * 60, timeZone), timeZone);
}

/**
 * Days in [from, to) that may be shorter or longer than on the wall clock: the two days around
 * each change of the zone's offset between one noon and the next (daylight saving).
 */
function offsetChangeDays(from: number, to: number, timeZone: string): Set<number> {
  const found = new Set<number>();
  const bisect = (lo: number, hi: number, low: number, high: number) => {
    // The offset at noon of `lo` (low) differs from that at noon of `hi` (high).
    if (hi - lo === 1) {
      if (lo >= from) found.add(lo);
      if (hi < to) found.add(hi);
      return;
    }
    const mid = Math.floor((lo + hi) / 2);
    const middle = noonOffset(mid, timeZone);
    if (middle !== low) bisect(lo, mid, low, middle);
    if (middle !== high) bisect(mid, hi, middle, high);
  };
  let lo = from - 1;
  let low = noonOffset(lo, timeZone);
  while (lo < to) {
    const hi = Math.min(lo + OFFSET_PROBE_DAYS, to);
    const high = noonOffset(hi, timeZone);
    if (high !== low) bisect(lo, hi, low, high);
    lo = hi;
    low = high;
  }
  return found;
}

/**
 * Working minutes between two instants (0 when `to` is not after `from`). The first and last
 * local days are walked; the whole days between are counted arithmetically (whole weeks times
 * the week's minutes, the rest day by weekday), minus holidays, corrected on the few days the
 * zone's offset changes. A ticket months old costs a handful of time-zone look-ups, not one
 * per day.
 */
export function businessMinutesBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  const holidays = new Set(calendar.holidays);
  const clipped = (day: number) =>
    dayIntervals(day, calendar, holidays).reduce(
      (sum, [open, close]) => sum + Math.max(0, Math.min(close, b) - Math.max(open, a)),
      0,
    );
  const first = dayNumber(a, calendar.timeZone);
  const last = dayNumber(b, calendar.timeZone);
  if (last <= first) return clipped(first) / MINUTE;
  let total = (clipped(first) + clipped(last)) / MINUTE;
  // Whole days first+1 .. last-1.
  const start = first + 1;
  const days = last - start;
  if (days <= 0) return total;
  const weekMinutes = [0, 1, 2, 3, 4, 5, 6].reduce(
    (sum, weekday) => sum + nominalMinutes(calendar, weekday),
    0,
  );
  total += Math.floor(days / 7) * weekMinutes;
  for (let day = start + Math.floor(days / 7) * 7; day < last; day++) {
    total += nominalMinutes(calendar, dateOf(day).weekday);
  }
  for (const holiday of holidays) {
    const day = Date.parse(`${holiday}T00:00:00Z`) / DAY;
    if (day >= start && day < last) total -= nominalMinutes(calendar, dateOf(day).weekday);
  }
  for (const day of offsetChangeDays(start, last, calendar.timeZone)) {
    const real = dayIntervals(day, calendar, holidays).reduce(
      (sum, [open, close]) => sum + (close - open),
      0,
    );
    const nominal = holidays.has(isoOf(day)) ? 0 : nominalMinutes(calendar, dateOf(day).weekday);
    total += real / MINUTE - nominal;
  }
  return total;
}

function isoOf(day: number): string {
  const d = dateOf(day);
  return isoDate(d.year, d.month, d.day);
}

/** Calendar time (24/7): the same questions without working hours. */
export const ALWAYS_OPEN = {
  add: (start: Date, minutes: number) => new Date(start.getTime() + minutes * MINUTE),
  between: (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / MINUTE),
};
