import { z } from "@hono/zod-openapi";
import { CSAT_COMMENT_MAX } from "../../shared/csat";
import { TICKET_PRIORITIES } from "../../shared/desk";

/*
 * CSAT: the requester's answer (from the public survey page) and the report.
 */

/** A survey link's token as we hand it out (base64url of 32 random bytes). */
export const csatTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

export const csatAnswerSchema = z
  .object({
    rating: z.coerce
      .number({ error: "Choose a rating from 1 to 5." })
      .int("Choose a rating from 1 to 5.")
      .min(1, "Choose a rating from 1 to 5.")
      .max(5, "Choose a rating from 1 to 5."),
    comment: z
      .string()
      .trim()
      .max(CSAT_COMMENT_MAX, `Keep the comment under ${CSAT_COMMENT_MAX} characters.`)
      .optional(),
  })
  .strict();
export type CsatAnswerInput = z.infer<typeof csatAnswerSchema>;

export const csatReportQuerySchema = z
  .object({
    /** Surveys sent at or after this instant ... */
    from: z.string().datetime({ offset: true }),
    /** ... and before this one. */
    to: z.string().datetime({ offset: true }),
  })
  .refine((query) => new Date(query.from) < new Date(query.to), {
    message: "`from` must be before `to`.",
    path: ["to"],
  });

const csatFiguresSchema = z.object({
  sent: z.number().int(),
  answered: z.number().int(),
  /** answered / sent, in percent; null when none was sent. */
  responseRate: z.number().nullable(),
  /** The mean rating (1-5, one decimal); null when none answered. */
  average: z.number().nullable(),
  /** Answers rated 4 or 5, in percent of the answered; null when none answered. */
  satisfied: z.number().nullable(),
});
export type CsatFigures = z.infer<typeof csatFiguresSchema>;

export const csatReportSchema = z
  .object({
    total: csatFiguresSchema,
    teams: z.array(csatFiguresSchema.extend({ teamId: z.string().nullable(), name: z.string() })),
    agents: z.array(
      csatFiguresSchema.extend({ assigneeId: z.string().nullable(), name: z.string() }),
    ),
    priorities: z.array(csatFiguresSchema.extend({ priority: z.enum(TICKET_PRIORITIES) })),
  })
  .openapi("CsatReport");
export type CsatReport = z.infer<typeof csatReportSchema>;
