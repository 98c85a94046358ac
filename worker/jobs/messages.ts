import { z } from "zod";

/**
 * Jobs of one organization are written to the outbox by a unit of work and carry the outbox
 * row's id: the consumer runs each at most once by it (worker/outbox/). It is optional only
 * for messages queued before the outbox existed.
 */
const orgJob = {
  orgId: z.string().uuid(),
  jobId: z.string().uuid(),
  outboxId: z.string().uuid().optional(),
};

/** Every job the queue carries, validated when it is consumed. */
export const jobMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("maintenance.purge_expired"), requestedAt: z.string().datetime() }),
  /** Hard-deletes CRM records soft-deleted more than 30 days ago (every organization). */
  z.object({ type: z.literal("maintenance.purge_deleted"), requestedAt: z.string().datetime() }),
  /** Ends calls the phone system has said nothing about for 12 hours (every organization). */
  z.object({
    type: z.literal("maintenance.close_stale_calls"),
    requestedAt: z.string().datetime(),
  }),
  /** Reopens snoozed conversations whose time has come (every organization), every minute. */
  z.object({
    type: z.literal("maintenance.wake_snoozed"),
    requestedAt: z.string().datetime(),
  }),
  /** Reminds assignees of tasks whose due time has come (every organization), every minute. */
  z.object({
    type: z.literal("maintenance.task_reminders"),
    requestedAt: z.string().datetime(),
  }),
  /** Emails what people left unread for an hour (every organization), every 15 minutes. */
  z.object({
    type: z.literal("maintenance.notification_digest"),
    requestedAt: z.string().datetime(),
  }),
  /** Announces SLA targets breaching soon and breached (every organization), every minute. */
  z.object({
    type: z.literal("maintenance.sla_check"),
    requestedAt: z.string().datetime(),
  }),
  /**
   * One chunk of an import: `offset` is where it starts in the CSV (characters), `row` how
   * many data rows came before it (see worker/imports/chunk.ts).
   */
  z.object({
    type: z.literal("import.chunk"),
    ...orgJob,
    offset: z.number().int().min(0),
    row: z.number().int().min(0),
  }),
  z.object({ type: z.literal("export.run"), ...orgJob }),
  /** Hands an outgoing WhatsApp message to Meta's Graph API (worker/whatsapp/send.ts). */
  z.object({ type: z.literal("whatsapp.send"), ...orgJob, messageId: z.string().uuid() }),
  /** Fetches an incoming message's file from Meta into R2 (worker/whatsapp/media.ts). */
  z.object({ type: z.literal("whatsapp.media"), ...orgJob, messageId: z.string().uuid() }),
  /** Hands one email to Cloudflare Email Service (worker/email/send.ts). */
  z.object({ type: z.literal("email.send"), ...orgJob, emailId: z.string().uuid() }),
]);
export type JobMessage = z.infer<typeof jobMessageSchema>;

/** A job of one organization (it goes through the outbox). */
export type OrgJobMessage = Extract<JobMessage, { orgId: string }>;
/** What a unit of work enqueues: its organization and the outbox id are filled in. */
export type OrgJob = OrgJobMessage extends infer M
  ? M extends OrgJobMessage
    ? Omit<M, "outboxId" | "orgId">
    : never
  : never;
