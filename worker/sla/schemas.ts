import { z } from "@hono/zod-openapi";
import { slaPolicyKey, TICKET_PRIORITIES, TICKET_TYPES } from "../../shared/desk";

const minutesSchema = z
  .number()
  .int()
  .min(1)
  .max(366 * 24 * 60)
  .nullable();

const policyFields = {
  priority: z.enum(TICKET_PRIORITIES),
  firstResponseMinutes: minutesSchema,
  nextResponseMinutes: minutesSchema,
  resolutionMinutes: minutesSchema,
  businessHours: z
    .boolean()
    .openapi({ description: "Count only the calendar's working hours (else around the clock)" }),
};

export const slaPolicySchema = z
  .object({
    ...policyFields,
    teamId: z.string().nullable().openapi({
      description: "Only this team's tickets; null on an organization-wide policy",
    }),
    ticketType: z.enum(TICKET_TYPES).nullable().openapi({
      description: "Only tickets of this type; null on an organization-wide policy",
    }),
  })
  .openapi("SlaPolicy");
export type SlaPolicyView = z.infer<typeof slaPolicySchema>;

export const slaPolicyInputSchema = z
  .object({
    ...policyFields,
    teamId: z.string().uuid("Unknown team.").nullable().optional().openapi({
      description: "Scope the policy to one of the organization's teams",
    }),
    ticketType: z.enum(TICKET_TYPES).nullable().optional().openapi({
      description: "Scope the policy to one ticket type",
    }),
  })
  .strict()
  .openapi("SlaPolicyInput");
export type SlaPolicyInput = z.infer<typeof slaPolicyInputSchema>;

/** The most policies one organization keeps (every priority for a few dozen scopes). */
export const MAX_SLA_POLICIES = 200;

export const putSlaPoliciesBodySchema = z
  .object({
    policies: z
      .array(slaPolicyInputSchema)
      .max(MAX_SLA_POLICIES)
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((policy, index) => {
          const key = slaPolicyKey(policy);
          if (seen.has(key)) {
            ctx.addIssue({
              code: "custom",
              path: [index, "priority"],
              message: "One policy per priority, team and type.",
            });
          }
          seen.add(key);
        });
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
    week: z
      .array(
        z
          .array(intervalSchema)
          .max(4)
          .refine(
            (day) =>
              day.every((a, i) =>
                day.every((b, j) => i === j || a.end <= b.start || b.end <= a.start),
              ),
            { message: "A day's periods do not overlap." },
          ),
      )
      .length(7),
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
