import { z } from "@hono/zod-openapi";
import { ACTIVITY_TYPES } from "../../shared/crm";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../../shared/desk";
import { versionSchema } from "../crm/field-schemas";
import { instantSchema } from "../lib/dates";

export { ACTIVITY_TYPES };

export const activityTypeSchema = z.enum(ACTIVITY_TYPES).openapi("ActivityType");

const LINK_FIELDS = ["contactId", "companyId", "leadId", "dealId"] as const;
export type LinkField = (typeof LINK_FIELDS)[number];

const nullableId = z.string().uuid().nullable().optional();
const instant = instantSchema();

const linkFields = {
  contactId: nullableId,
  companyId: nullableId,
  leadId: nullableId,
  dealId: nullableId,
};

const editableFields = {
  subject: z.string().trim().min(1, "Give the activity a subject.").max(500),
  body: z.string().max(20_000).nullable().optional(),
  /** When it happened; for a meeting, when it starts. Defaults to now. */
  occurredAt: instant.optional(),
  dueAt: instant.nullable().optional(),
  assigneeId: nullableId,
  metadata: z.record(z.string(), z.unknown()).optional(),
  ...linkFields,
};

const ATTACH_MESSAGE = "Attach the activity to a contact, company, lead or deal.";

export const createActivityBodySchema = z
  .object({ type: activityTypeSchema, ...editableFields })
  .strict()
  .refine((body) => LINK_FIELDS.some((field) => body[field]), {
    message: ATTACH_MESSAGE,
    path: ["contactId"],
  })
  .openapi("CreateActivityRequest");
export type CreateActivityBody = z.infer<typeof createActivityBodySchema>;

export const updateActivityBodySchema = z
  .object({
    ...editableFields,
    subject: editableFields.subject.optional(),
    doneAt: instant.nullable().optional(),
    version: versionSchema,
  })
  .strict()
  .refine((body) => Object.keys(body).some((key) => key !== "version"), {
    message: "Send at least one field to change.",
  })
  .openapi("UpdateActivityRequest");
export type UpdateActivityBody = z.infer<typeof updateActivityBodySchema>;

export const completeActivityBodySchema = z
  .object({
    /** false reopens a completed task. */
    done: z.boolean().default(true),
    version: versionSchema,
  })
  .strict()
  .openapi("CompleteActivityRequest");

export const activitySchema = z
  .object({
    id: z.string(),
    type: activityTypeSchema,
    subject: z.string(),
    body: z.string().nullable(),
    occurredAt: z.string(),
    dueAt: z.string().nullable(),
    doneAt: z.string().nullable(),
    assigneeId: z.string().nullable(),
    createdBy: z.string().nullable(),
    contactId: z.string().nullable(),
    companyId: z.string().nullable(),
    leadId: z.string().nullable(),
    dealId: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .openapi("Activity");

export const timelineQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(300).optional(),
  /** Only these activity types, comma-separated (`note,task`); stage moves and creation drop out. */
  type: z
    .string()
    .max(100)
    .transform((text) =>
      text
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(activityTypeSchema).min(1, "Name at least one activity type."))
    .optional()
    .openapi({ type: "string", example: "note,task" }),
});
export type TimelineQuery = z.infer<typeof timelineQuerySchema>;

export const timelineItemSchema = z
  .object({
    kind: z.enum(["activity", "stage_change", "created", "ticket"]),
    at: z.string(),
    id: z.string(),
    activity: activitySchema.optional(),
    stageChange: z
      .object({
        fromStageId: z.string().nullable(),
        toStageId: z.string(),
        fromStageName: z.string().nullable(),
        toStageName: z.string().nullable(),
        changedBy: z.string().nullable(),
      })
      .optional(),
    ticket: z
      .object({
        id: z.string(),
        number: z.number().int(),
        subject: z.string(),
        status: z.enum(TICKET_STATUSES),
        priority: z.enum(TICKET_PRIORITIES),
      })
      .optional()
      .openapi({ description: "A support ticket about the record, at when it was opened" }),
  })
  .openapi("TimelineItem");

export { LINK_FIELDS };
