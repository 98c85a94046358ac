import { z } from "@hono/zod-openapi";
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from "../../shared/desk";
import { ticketSchema } from "./schemas";

export const MAX_TICKET_BULK = 100;

const tagListSchema = z.array(z.string().trim().min(1).max(50)).min(1).max(30);

const target = {
  ids: z
    .array(z.string().uuid())
    .min(1, "Select at least one ticket.")
    .max(MAX_TICKET_BULK, `At most ${MAX_TICKET_BULK} tickets at a time.`)
    .transform((ids) => [...new Set(ids)]),
  versions: z.record(z.string().uuid(), z.number().int().min(1)).optional().openapi({
    description:
      "Each ticket's version as you saw it: a ticket changed since is left alone (`conflict`)",
  }),
};

export const bulkTicketChangesSchema = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    type: z.enum(TICKET_TYPES).nullable().optional(),
    assigneeId: z.string().uuid().nullable().optional(),
    teamId: z.string().uuid().nullable().optional(),
    addTags: tagListSchema.optional(),
    removeTags: tagListSchema.optional(),
  })
  .strict()
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: "Choose at least one change.",
  });
export type BulkTicketChanges = z.infer<typeof bulkTicketChangesSchema>;

export const bulkTicketsBodySchema = z
  .discriminatedUnion("action", [
    z.object({ ...target, action: z.literal("update"), changes: bulkTicketChangesSchema }).strict(),
    z.object({ ...target, action: z.literal("delete") }).strict(),
  ])
  .openapi("BulkTicketsRequest");
export type BulkTicketsBody = z.infer<typeof bulkTicketsBodySchema>;

export const BULK_TICKET_OUTCOMES = [
  "updated",
  "deleted",
  "unchanged",
  "not_found",
  "conflict",
  "invalid",
] as const;
export type BulkTicketOutcome = (typeof BULK_TICKET_OUTCOMES)[number];

export const bulkTicketsResultSchema = z
  .object({
    updated: z.number().int(),
    deleted: z.number().int(),
    skipped: z.number().int(),
    results: z.array(
      z.object({
        id: z.string(),
        outcome: z.enum(BULK_TICKET_OUTCOMES).openapi({
          description:
            "`not_found`: absent, deleted or another organization's; `conflict`: changed since `versions`, or closed; `invalid`: cannot be solved until its required fields are filled",
        }),
        message: z.string().nullable(),
        ticket: ticketSchema.nullable().openapi({ description: "The ticket after the change" }),
      }),
    ),
  })
  .openapi("BulkTicketsResult");
export type BulkTicketsResult = z.infer<typeof bulkTicketsResultSchema>;
