import { z } from "@hono/zod-openapi";

/*
 * Dates from clients, limited to what both JavaScript and PostgreSQL hold: years 1 to 9999
 * (PostgreSQL has no year 0 and ends timestamps in 294276; JavaScript dates end in 275760).
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** An ISO 8601 date or date-time in years 1 to 9999, or null. */
export function parseIsoDate(raw: string): Date | null {
  if (!ISO_DATE.test(raw)) return null;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) return null;
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999 ? date : null;
}

/** An ISO 8601 date-time with an offset (`Z` or `+02:00`) that the database can store. */
export function instantSchema(message = "Expected an ISO 8601 date-time.") {
  return z
    .string()
    .datetime({ offset: true, message })
    .refine((value) => parseIsoDate(value) !== null, "Use a date between the years 1 and 9999.");
}
