import { TICKET_PRIORITIES, TICKET_TYPES } from "../../../shared/desk";
import { ApiError, type FieldErrors } from "../../../worker/lib/errors";
import {
  businessCalendarSchema,
  type SlaPolicyInput,
  slaPolicyInputSchema,
} from "../../../worker/sla/schemas";
import { parseDuration } from "./durations";

/*
 * Settings -> SLA's forms read into what the SLA service takes: a policy's three targets (typed
 * as hours and minutes) and its business-hours box, a scope (team and/or type), the week's
 * working hours and a holiday. Every problem is a field error named after the form's input.
 */

type Values = Record<string, string>;

/** The form's input suffix of each target, and the policy's field. */
export const TARGET_FIELDS = [
  ["first", "firstResponseMinutes"],
  ["next", "nextResponseMinutes"],
  ["resolution", "resolutionMinutes"],
] as const;

const DURATION_HINT = "Use hours and minutes, e.g. 4h, 1h 30m or 45m.";

function fail(errors: FieldErrors): never {
  throw ApiError.validation(errors, "Check the highlighted fields.");
}

export interface PolicyScope {
  priority: SlaPolicyInput["priority"];
  teamId: string | null;
  ticketType: NonNullable<SlaPolicyInput["ticketType"]> | null;
}

/**
 * The policy of the inputs named `<prefix>.first`, `.next`, `.resolution`, `.businessHours`;
 * null when all three targets are empty and `emptyIsNone` (an organization-wide row left blank).
 */
export function policyFromForm(
  values: Values,
  prefix: string,
  scope: PolicyScope,
  emptyIsNone: boolean,
): SlaPolicyInput | null {
  const errors: FieldErrors = {};
  const policy: Record<string, unknown> = {
    ...scope,
    businessHours: values[`${prefix}.businessHours`] === "on",
  };
  for (const [suffix, field] of TARGET_FIELDS) {
    const minutes = parseDuration(values[`${prefix}.${suffix}`] ?? "");
    if (minutes === undefined) errors[`${prefix}.${suffix}`] = [DURATION_HINT];
    policy[field] = minutes ?? null;
  }
  if (Object.keys(errors).length > 0) return fail(errors);
  const parsed = slaPolicyInputSchema.safeParse(policy);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const target = TARGET_FIELDS.find(([, field]) => field === issue.path[0]);
      const name = target ? `${prefix}.${target[0]}` : `${prefix}.priority`;
      errors[name] = [target ? "Between 1 minute and 366 days." : issue.message];
    }
    return fail(errors);
  }
  const empty = TARGET_FIELDS.every(([, field]) => parsed.data[field] === null);
  return empty && emptyIsNone ? null : parsed.data;
}

/** The organization-wide rows: one per priority, those left blank dropped. */
export function orgWidePoliciesFromForm(values: Values): SlaPolicyInput[] {
  const policies: SlaPolicyInput[] = [];
  const errors: FieldErrors = {};
  for (const priority of TICKET_PRIORITIES) {
    try {
      const policy = policyFromForm(
        values,
        priority,
        { priority, teamId: null, ticketType: null },
        true,
      );
      if (policy) policies.push(policy);
    } catch (error) {
      if (!(error instanceof ApiError) || !error.fieldErrors) throw error;
      Object.assign(errors, error.fieldErrors);
    }
  }
  if (Object.keys(errors).length > 0) fail(errors);
  return policies;
}

/** A new override's scope: a priority, and a team, a type or both. */
export function overrideScopeFromForm(values: Values, prefix: string): PolicyScope {
  const priority = values[`${prefix}.priority`] ?? "";
  const teamId = values[`${prefix}.teamId`] || null;
  const ticketType = values[`${prefix}.ticketType`] || null;
  const errors: FieldErrors = {};
  if (!(TICKET_PRIORITIES as readonly string[]).includes(priority)) {
    errors[`${prefix}.priority`] = ["Choose a priority."];
  }
  if (ticketType && !(TICKET_TYPES as readonly string[]).includes(ticketType)) {
    errors[`${prefix}.ticketType`] = ["Choose a ticket type."];
  }
  if (!teamId && !ticketType) {
    errors[`${prefix}.teamId`] = [
      "Choose a team, a type or both (without them, it is the organization-wide policy above).",
    ];
  }
  if (Object.keys(errors).length > 0) fail(errors);
  return {
    priority: priority as PolicyScope["priority"],
    teamId,
    ticketType: ticketType as PolicyScope["ticketType"],
  };
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
/** Periods a day may have (the API's limit). */
export const PERIODS_PER_DAY = 4;

/** "9:00" -> "09:00"; anything else as typed. */
function clock(text: string): string {
  const value = text.trim();
  return /^\d:\d\d$/.test(value) ? `0${value}` : value;
}

/**
 * The week (Sunday first) from `day.<d>.open` and `day.<d>.<n>.start` / `.end`: a closed day
 * has no hours; an open one needs at least one period, each ending after it starts and after
 * the one before.
 */
export function weekFromForm(values: Values): { start: string; end: string }[][] {
  const errors: FieldErrors = {};
  const week = Array.from({ length: 7 }, (_, day) => {
    if (values[`day.${day}.open`] !== "on") return [];
    const periods: { start: string; end: string }[] = [];
    for (let n = 0; n < PERIODS_PER_DAY; n++) {
      const name = `day.${day}.${n}`;
      const start = clock(values[`${name}.start`] ?? "");
      const end = clock(values[`${name}.end`] ?? "");
      if (!start && !end) continue;
      if (!CLOCK.test(start)) errors[`${name}.start`] = ["Use HH:MM, e.g. 09:00."];
      else if (!CLOCK.test(end)) errors[`${name}.end`] = ["Use HH:MM, e.g. 17:30."];
      else if (end <= start) errors[`${name}.end`] = ["The end comes after the start."];
      else if (periods.some((period) => start < period.end && period.start < end)) {
        errors[`${name}.start`] = ["Overlaps another period of the day."];
      } else periods.push({ start, end });
    }
    const named = Object.keys(errors).some((key) => key.startsWith(`day.${day}.`));
    if (periods.length === 0 && !named) {
      errors[`day.${day}.0.start`] = ["Give its hours, or mark it closed."];
    }
    return periods.sort((a, b) => a.start.localeCompare(b.start));
  });
  if (Object.keys(errors).length > 0) fail(errors);
  return week;
}

export function timeZoneFromForm(values: Values): string {
  const parsed = businessCalendarSchema.shape.timeZone.safeParse(values.timeZone ?? "");
  if (!parsed.success) fail({ timeZone: ["Choose a time zone from the list."] });
  return parsed.data;
}

/** A YYYY-MM-DD date that exists. */
export function holidayFromForm(values: Values): string {
  const value = (values.holiday ?? "").trim();
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime())) {
    fail({ holiday: ["Choose a date."] });
  }
  if (date.toISOString().slice(0, 10) !== value) fail({ holiday: ["No such date."] });
  return value;
}

/** Collects the field errors of several readers, so that one post shows them all. */
export function readAll<T extends unknown[]>(...readers: { [K in keyof T]: () => T[K] }): T {
  const errors: FieldErrors = {};
  const results = readers.map((read) => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 422 || !error.fieldErrors) throw error;
      Object.assign(errors, error.fieldErrors);
      return undefined;
    }
  });
  if (Object.keys(errors).length > 0) fail(errors);
  return results as T;
}
