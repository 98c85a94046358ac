import { z } from "@hono/zod-openapi";
import {
  SLA_METRICS,
  TICKET_AUTHOR_KINDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  TICKET_VIA,
} from "../../shared/desk";
import { emailSchema } from "../auth/schemas";
import { customValuesSchema } from "../crm/field-schemas";
import { instantSchema } from "../lib/dates";
import { csvEnumSchema } from "../lib/openapi";
import { paginationQuerySchema } from "../lib/pagination";

export const ticketSchema = z
  .object({
    id: z.string(),
    number: z.number().int().openapi({ description: "#1001, #1002, ... per organization" }),
    subject: z.string(),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(TICKET_PRIORITIES),
    type: z.enum(TICKET_TYPES).nullable(),
    requester: z
      .object({ id: z.string(), name: z.string(), email: z.string().nullable() })
      .nullable(),
    company: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: "The company it concerns (by default the requester's)" }),
    deal: z.object({ id: z.string(), title: z.string() }).nullable(),
    assigneeId: z.string().nullable(),
    teamId: z.string().nullable(),
    tags: z.array(z.string()),
    custom: z.record(z.string(), z.unknown()),
    dueAt: z.string().nullable(),
    via: z.enum(TICKET_VIA),
    /** The inbox conversation it was opened from. */
    conversationId: z.string().nullable(),
    firstResponseAt: z.string().nullable(),
    solvedAt: z.string().nullable(),
    sla: z
      .object({
        policyId: z.string(),
        policy: z
          .object({
            id: z.string(),
            priority: z.enum(TICKET_PRIORITIES),
            teamId: z.string().nullable(),
            teamName: z.string().nullable(),
            ticketType: z.enum(TICKET_TYPES).nullable(),
          })
          .openapi({
            description:
              "The policy that applies: the most specific of team and type, team, type, organization-wide",
          }),
        businessHours: z.boolean(),
        targets: z.array(
          z.object({
            metric: z.enum(SLA_METRICS),
            targetMinutes: z.number().int(),
            dueAt: z.string().nullable().openapi({ description: "Null while paused" }),
            warnAt: z.string().nullable().openapi({
              description:
                "When it is breaching soon (its warning window opens); null while paused or once met",
            }),
            remainingMinutes: z
              .number()
              .int()
              .nullable()
              .openapi({ description: "Negative once overdue; null once achieved" }),
            achievedAt: z.string().nullable(),
            breached: z.boolean(),
            paused: z.boolean(),
          }),
        ),
      })
      .nullable()
      .openapi({
        description:
          "The SLA targets of the ticket's policy and where the ticket stands; null without a policy",
      }),
    csat: z
      .object({
        rating: z.number().int().min(1).max(5),
        comment: z.string().nullable(),
        answeredAt: z.string(),
      })
      .nullable()
      .openapi({
        description:
          "The requester's satisfaction rating (1-5) from the survey of its latest solve that was answered; null when none",
      }),
    mergedIntoId: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Ticket");
export type TicketView = z.infer<typeof ticketSchema>;

export const ticketCommentSchema = z
  .object({
    id: z.string(),
    ticketId: z.string(),
    authorKind: z.enum(TICKET_AUTHOR_KINDS),
    authorId: z.string().nullable(),
    authorContactId: z.string().nullable(),
    public: z.boolean(),
    body: z.string(),
    via: z.enum(TICKET_VIA),
    attachments: z.array(
      z.object({
        key: z.string(),
        filename: z.string(),
        contentType: z.string(),
        size: z.number().int(),
      }),
    ),
    /** The email that took a public reply to the requester: pending, sent or failed. */
    emailStatus: z.enum(["pending", "sent", "failed"]).nullable(),
    createdAt: z.string(),
  })
  .openapi("TicketComment");
export type TicketCommentView = z.infer<typeof ticketCommentSchema>;

const tagsSchema = z.array(z.string().trim().min(1).max(50)).max(30);

const requesterSchema = z
  .object({
    contactId: z.string().uuid().optional(),
    email: emailSchema.optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((value) => value.contactId !== undefined || value.email !== undefined, {
    message: "Give the requester's contactId or email.",
  });

export const createTicketBodySchema = z
  .object({
    subject: z.string().trim().min(1, "Enter a subject.").max(250),
    /** The first comment: what the requester asked. */
    description: z.string().trim().min(1, "Describe the request.").max(50_000),
    requester: requesterSchema.optional(),
    companyId: z
      .string()
      .uuid()
      .nullable()
      .optional()
      .openapi({ description: "Left out: the requester's company" }),
    dealId: z.string().uuid().nullable().optional(),
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    type: z.enum(TICKET_TYPES).nullable().optional(),
    assigneeId: z.string().uuid().nullable().optional(),
    teamId: z.string().uuid().nullable().optional(),
    tags: tagsSchema.optional(),
    custom: customValuesSchema.optional(),
    dueAt: instantSchema().nullable().optional(),
  })
  .strict()
  .openapi("CreateTicketRequest");
export type CreateTicketInput = z.infer<typeof createTicketBodySchema>;

export const updateTicketBodySchema = z
  .object({
    subject: z.string().trim().min(1).max(250).optional(),
    companyId: z.string().uuid().nullable().optional(),
    dealId: z.string().uuid().nullable().optional(),
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    type: z.enum(TICKET_TYPES).nullable().optional(),
    assigneeId: z.string().uuid().nullable().optional(),
    teamId: z.string().uuid().nullable().optional(),
    tags: tagsSchema.optional(),
    /** Merged into the stored values; null or "" clears one. */
    custom: customValuesSchema.optional(),
    dueAt: instantSchema().nullable().optional(),
    /** Refused (409) if the ticket changed since this version. */
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .openapi("UpdateTicketRequest");
export type UpdateTicketInput = z.infer<typeof updateTicketBodySchema>;

export const TICKET_VIEWS = [
  "my_open",
  "unassigned",
  "unsolved",
  "breaching_soon",
  "overdue",
  "all",
] as const;

export const listTicketsQuerySchema = paginationQuerySchema.extend({
  view: z.enum(TICKET_VIEWS).optional().openapi({
    description:
      "`my_open`: unsolved and assigned to you; `unassigned`: unsolved, nobody on it; `unsolved`: new, open, pending or on hold; `breaching_soon`: an SLA target running (not paused) is due within its warning window; `overdue`: a running SLA target is past due; `all` (default)",
  }),
  status: csvEnumSchema(TICKET_STATUSES).optional(),
  priority: csvEnumSchema(TICKET_PRIORITIES).optional(),
  assignee: z
    .union([z.string().uuid(), z.enum(["me", "none"])])
    .optional()
    .openapi({ description: "A member's id, `me`, or `none` (unassigned)" }),
  requesterId: z.string().uuid().optional(),
  companyId: z.string().uuid().optional(),
  dealId: z.string().uuid().optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  /** Words in the subject or any comment. */
  q: z.string().trim().min(1).max(200).optional(),
});
export type ListTicketsQuery = z.infer<typeof listTicketsQuerySchema>;

export const ticketCountsSchema = z.object({
  myOpen: z.number().int(),
  unassigned: z.number().int(),
  unsolved: z.number().int(),
  breachingSoon: z.number().int(),
  overdue: z.number().int(),
});

export const addCommentBodySchema = z
  .object({
    body: z.string().trim().min(1, "Write something.").max(50_000),
    /** A public reply (default) goes to the requester by email; false keeps it internal. */
    public: z.boolean().default(true),
    /** Set the ticket's status with the reply (e.g. `pending` to wait on the requester). */
    status: z.enum(TICKET_STATUSES).optional(),
  })
  .strict()
  .openapi("AddTicketCommentRequest");
export type AddCommentInput = z.infer<typeof addCommentBodySchema>;

export const mergeTicketBodySchema = z
  .object({ intoId: z.string().uuid() })
  .strict()
  .openapi("MergeTicketRequest");
