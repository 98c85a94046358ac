import { z } from "@hono/zod-openapi";
import { TICKET_PRIORITIES } from "../../shared/desk";

const minutesSchema = z
  .number()
  .int()
  .min(1)
  .max(366 * 24 * 60)
  .nullable();

export const slaPolicySchema = z
  .object({
    priority: z.enum(TICKET_PRIORITIES),
    firstResponseMinutes: minutesSchema,
    nextResponseMinutes: minutesSchema,
    resolutionMinutes: minutesSchema,
    businessHours: z
      .boolean()
      .openapi({ description: "Count only the calendar's working hours (else around the clock)" }),
  })
  .strict()
  .openapi("SlaPolicy");
export type SlaPolicyInput = z.infer<typeof slaPolicySchema>;

export const putSlaPoliciesBodySchema = z
  .object({
    policies: z
      .array(slaPolicySchema)
      .max(TICKET_PRIORITIES.length)
      .refine((list) => new Set(list.map((p) => p.priority)).size === list.length, {
        message: "One policy per priority.",
      }),
  })
  .strict()
  .openapi("PutSlaPoliciesRequest");

const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "Use HH:MM.");

const intervalSchema = z
  .object({ start: clockSchema, end: clockSchema })
  .strict()
  .refine((interval) => interval.start < interval.end, {
    message: "The end comes after the start.",
  });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const businessCalendarSchema = z
  .object({
    timeZone: z.string().min(1).max(64).refine(isTimeZone, "Not an IANA time zone."),
    /** Seven days, Sunday first. */
    week: z.array(z.array(intervalSchema).max(4)).length(7),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")).max(200),
  })
  .strict()
  .openapi("BusinessCalendar");

export const slaReportQuerySchema = z
  .object({
    /** Tickets opened at or after this instant ... */
    from: z.string().datetime({ offset: true }),
    /** ... and before this one. */
    to: z.string().datetime({ offset: true }),
  })
  .refine((query) => new Date(query.from) < new Date(query.to), {
    message: "`from` must be before `to`.",
    path: ["to"],
  });

const metricCountsSchema = z.object({
  met: z.number().int(),
  breached: z.number().int(),
  /** Still running within target. */
  running: z.number().int(),
  /** met / (met + breached), in percent; null when nothing was decided yet. */
  compliance: z.number().nullable(),
});

export const slaReportRowSchema = z
  .object({
    teamId: z.string().nullable(),
    priority: z.enum(TICKET_PRIORITIES),
    tickets: z.number().int(),
    firstResponse: metricCountsSchema,
    nextResponse: metricCountsSchema,
    resolution: metricCountsSchema,
  })
  .openapi("SlaReportRow");
export type SlaReportRow = z.infer<typeof slaReportRowSchema>;
