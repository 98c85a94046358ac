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

/** Working minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (const [open, close] of workingIntervals(a, calendar)) {
    if (open >= b) break;
    if (close <= a) continue;
    total += Math.min(close, b) - Math.max(open, a);
  }
  return total / MINUTE;
}

/** Calendar time (24/7): the same questions without working hours. */
export const ALWAYS_OPEN = {
  add: (start: Date, minutes: number) => new Date(start.getTime() + minutes * MINUTE),
  between: (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / MINUTE),
};
