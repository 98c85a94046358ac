import { z } from "@hono/zod-openapi";
import { CONVERSATION_PRIORITIES, CONVERSATION_STATUSES } from "../../shared/inbox";
import { instantSchema } from "../lib/dates";
import { csvEnumSchema } from "../lib/openapi";
import { paginationQuerySchema } from "../lib/pagination";
import { conversationViewSchema, messageViewSchema } from "./conversation-view";

export const conversationSchema = conversationViewSchema.openapi("Conversation");
export const messageSchema = messageViewSchema.openapi("Message");

export const listConversationsQuerySchema = paginationQuerySchema.extend({
  /** Comma-separated: `open,pending`. Merged conversations are never listed. */
  status: csvEnumSchema(CONVERSATION_STATUSES).optional(),
  /** A member's id, `me`, or `none` for unassigned. */
  assignee: z
    .union([z.string().uuid(), z.enum(["me", "none"])])
    .optional()
    .openapi({ description: "A member's id, `me`, or `none` (unassigned)" }),
  teamId: z.string().uuid().optional(),
  channelId: z.string().uuid().optional(),
  contactId: z.string().uuid().optional(),
  label: z.string().trim().min(1).max(50).optional(),
  priority: csvEnumSchema(CONVERSATION_PRIORITIES).optional(),
  /** `true`: only conversations with messages the team has not read. */
  unread: z.enum(["true", "false"]).optional(),
  /** Words in any message of the conversation. */
  q: z.string().trim().min(1).max(200).optional(),
});
export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;

/**
 * Oldest first by default, `cursor` reading newer pages. From the newest end: `from=latest`
 * is the last `limit` messages and `before=<previousCursor>` the page just older than one
 * already read (each page still oldest first). Only one of `cursor`, `before`, `from`.
 */
export const listMessagesQuerySchema = paginationQuerySchema.extend({
  before: z.string().max(200).optional().openapi({
    description: "`meta.pagination.previousCursor` of a page read: the page before it",
  }),
  from: z
    .enum(["latest"])
    .optional()
    .openapi({ description: "`latest`: the newest `limit` messages (older ones via `before`)" }),
});
export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;

const templateSchema = z
  .object({
    name: z.string().trim().min(1).max(512),
    language: z.string().trim().min(2).max(15).openapi({ example: "en_US" }),
    /** The body's `{{1}}`, `{{2}}`, ... in order. */
    parameters: z.array(z.string().max(1024)).max(20).default([]),
  })
  .strict();

export const sendMessageBodySchema = z
  .union([
    z
      .object({ body: z.string().trim().min(1).max(4096), note: z.literal(false).optional() })
      .strict()
      .openapi({ title: "Reply", description: "A reply to the customer on the channel" }),
    z
      .object({ template: templateSchema })
      .strict()
      .openapi({ title: "Template", description: "An approved WhatsApp template" }),
    z
      .object({ note: z.literal(true), body: z.string().trim().min(1).max(10_000) })
      .strict()
      .openapi({
        title: "Private note",
        description: "Seen by the team only; @Name mentions the members named",
      }),
  ])
  .openapi("SendMessageRequest");
export type SendMessageBody = z.infer<typeof sendMessageBodySchema>;

/** `POST /conversations/:id/messages` as multipart/form-data: one file, an optional caption. */
export const sendMediaFormSchema = z
  .object({
    file: z
      .custom<File>((value) => value instanceof File, "Attach a file.")
      .openapi({ type: "string", format: "binary", description: "The file (one)" }),
    body: z
      .string()
      .max(1024)
      .optional()
      .openapi({ description: "A caption (not for WhatsApp audio)" }),
  })
  .openapi("SendMediaRequest");

const labelSchema = z.string().trim().min(1).max(50);

export const updateConversationBodySchema = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    assigneeId: z.string().uuid().nullable().optional(),
    teamId: z.string().uuid().nullable().optional(),
    labels: z.array(labelSchema).max(20).optional(),
    priority: z.enum(CONVERSATION_PRIORITIES).optional(),
    /** Required with `status: "snoozed"`: when it comes back (a new message wakes it sooner). */
    snoozedUntil: instantSchema().nullable().optional(),
    /** The version read; a conversation changed since is a 409. */
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).some((key) => key !== "version"), {
    message: "Name something to change.",
  })
  .openapi("UpdateConversationRequest");
export type UpdateConversationBody = z.infer<typeof updateConversationBodySchema>;

export const mergeConversationBodySchema = z
  .object({ intoId: z.string().uuid() })
  .strict()
  .openapi("MergeConversationRequest");

export const conversationReportQuerySchema = z
  .object({
    /** Conversations started at or after this instant. */
    from: instantSchema(),
    /** ... and before this one. */
    to: instantSchema(),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .refine((query) => new Date(query.from) < new Date(query.to), {
    message: "`from` must be before `to`.",
    path: ["to"],
  });

export const conversationReportRowSchema = z
  .object({
    id: z.string(),
    contact: z.string().nullable(),
    channel: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    assignee: z.string().nullable(),
    startedAt: z.string(),
    firstResponseAt: z.string().nullable(),
    firstResponseSeconds: z.number().int().nullable(),
    resolvedAt: z.string().nullable(),
    resolutionSeconds: z.number().int().nullable(),
    messagesIn: z.number().int(),
    messagesOut: z.number().int(),
  })
  .openapi("ConversationReportRow");
